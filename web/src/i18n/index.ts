// The language (English or Japanese): from the browser at first, then the person's
// choice, kept in localStorage; t() fills {placeholders}.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en, type MessageKey } from "./en";
import { ja } from "./ja";

export type Language = "en" | "ja";
export type { MessageKey };

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, ja };
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", ja: "日本語" };
const STORAGE_KEY = "framepack.language";

export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "en" || stored === "ja") return stored;
  return navigator.language.toLowerCase().startsWith("ja") ? "ja" : "en";
}

export function persistLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const dictionary = DICTIONARIES[language];
  return (key, values) =>
    dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    );
}

export const I18nContext = createContext<Translate>(translator("en"));

export function useT(): Translate {
  return useContext(I18nContext);
}
