// The API key, kept in the browser (localStorage) once the person enters it.
const STORAGE_KEY = "framepack.apiKey";

export function storedKey(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

export function storeKey(key: string | null): void {
  if (key) localStorage.setItem(STORAGE_KEY, key);
  else localStorage.removeItem(STORAGE_KEY);
}
