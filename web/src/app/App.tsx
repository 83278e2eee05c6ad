// The page: header (pages, language, key), the demo-model banner, and the current page.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, onKeyRequired } from "../api/client";
import type { Job } from "../api/types";
import { GalleryPanel } from "../gallery/GalleryPanel";
import { GeneratePanel } from "../generate/GeneratePanel";
import { useForms } from "../generate/use-forms";
import {
  I18nContext,
  initialLanguage,
  LANGUAGE_NAMES,
  persistLanguage,
  translator,
  type Language,
} from "../i18n";
import { QueuePanel } from "../queue/QueuePanel";
import { SystemPanel } from "../system/SystemPanel";
import { KeyDialog } from "./KeyDialog";
import { TabPanel, Tabs } from "./Tabs";
import { useAsync } from "./use-async";

/** The weights download (src/engine/model-set.ts DOWNLOAD_COMMAND, which the page cannot import). */
const DOWNLOAD_COMMAND = "npx framepack models download";

const PAGES = ["generate", "queue", "gallery", "system"] as const;
type Page = (typeof PAGES)[number];

function pageFromHash(): Page {
  const hash = location.hash.slice(1);
  return (PAGES as readonly string[]).includes(hash) ? (hash as Page) : "generate";
}

export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const t = useMemo(() => translator(language), [language]);
  const [page, setPage] = useState<Page>(pageFromHash);
  // Bumped when the key changes: everything loads again with it.
  const [session, setSession] = useState(0);
  // Bumped when jobs change here (a submit): the lists refresh at once.
  const [version, setVersion] = useState(0);
  const [systemTick, setSystemTick] = useState(0);
  const [keyPrompt, setKeyPrompt] = useState<{ reason: 401 | 403 | undefined }>();
  // Closed without a new key: the lists' refusals every few seconds must not reopen it;
  // the header button still does, and a new key asks again when refused.
  const keyDeclined = useRef(false);
  const forms = useForms();
  const system = useAsync(() => api.system(), `${session}-${systemTick}`);

  useEffect(() => {
    persistLanguage(language);
  }, [language]);
  useEffect(
    () =>
      onKeyRequired((reason) => {
        if (!keyDeclined.current) setKeyPrompt((open) => open ?? { reason });
      }),
    [],
  );
  const show = (next: Page) => {
    setPage(next);
    history.replaceState(null, "", `#${next}`);
  };
  const reuse = (job: Job) => {
    forms.refill(job);
    show("generate");
  };
  const continueVideo = (job: Job) => {
    forms.continueVideo(job);
    show("generate");
  };

  return (
    <I18nContext.Provider value={t}>
      <header class="app-header">
        <h1>{t("app.title")}</h1>
        <nav aria-label={t("nav.label")}>
          <Tabs
            id="page"
            label={t("nav.label")}
            items={PAGES.map((id) => ({ id, label: t(`nav.${id}`) }))}
            selected={page}
            onSelect={show}
          />
        </nav>
        <div class="header-tools">
          <label for="language">{t("lang.label")}</label>
          <select
            id="language"
            value={language}
            onChange={(event) => {
              setLanguage(event.currentTarget.value as Language);
            }}
          >
            {Object.entries(LANGUAGE_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => {
              setKeyPrompt({ reason: undefined });
            }}
          >
            {t("key.button")}
          </button>
        </div>
      </header>
      {system.value?.model_set.tiny && (
        <p class="tiny-banner" role="note">
          {t("tiny.banner")} <code>{DOWNLOAD_COMMAND}</code>
          {t("tiny.bannerAfter")}
        </p>
      )}
      <main>
        <TabPanel tabs="page" selected={page}>
          {page === "generate" && (
            <GeneratePanel
              forms={forms}
              session={session}
              onQueued={() => {
                setVersion((value) => value + 1);
              }}
              onShowQueue={() => {
                show("queue");
              }}
            />
          )}
          {page === "queue" && <QueuePanel version={version + session} />}
          {page === "gallery" && (
            <GalleryPanel version={version + session} onReuse={reuse} onContinue={continueVideo} />
          )}
          {page === "system" && (
            <SystemPanel
              system={system}
              session={session}
              onRefresh={() => {
                setSystemTick((tick) => tick + 1);
              }}
            />
          )}
        </TabPanel>
      </main>
      {keyPrompt && (
        <KeyDialog
          reason={keyPrompt.reason}
          onDone={(changed) => {
            setKeyPrompt(undefined);
            keyDeclined.current = !changed;
            if (changed) setSession((value) => value + 1);
          }}
        />
      )}
    </I18nContext.Provider>
  );
}
