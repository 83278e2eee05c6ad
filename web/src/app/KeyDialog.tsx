// Asks for the API key when the server refuses a request; the key stays in the browser.
import { useEffect, useRef, useState } from "preact/hooks";
import { apiKeyProblem } from "../../../src/client/index";
import { storedKey, storeKey } from "../api/key";
import { useT } from "../i18n";

interface KeyDialogProps {
  /** Why it opened: 401 no key, 403 a wrong one, undefined the person asked. */
  reason: 401 | 403 | undefined;
  onDone: (changed: boolean) => void;
}

export function KeyDialog({ reason, onDone }: KeyDialogProps) {
  const t = useT();
  const [key, setKey] = useState(storedKey() ?? "");
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const [unusable, setUnusable] = useState(false);
  const save = (event: Event) => {
    event.preventDefault();
    const entered = key.trim();
    // Stored, such a key would make every request throw before it is sent.
    if (entered && apiKeyProblem(entered)) {
      setUnusable(true);
      return;
    }
    storeKey(entered || null);
    onDone(true);
  };
  return (
    <dialog
      ref={dialog}
      class="key-dialog"
      aria-labelledby="key-title"
      onCancel={() => {
        onDone(false);
      }}
    >
      <form onSubmit={save}>
        <h2 id="key-title">{t("key.title")}</h2>
        {reason && <p role="alert">{t(reason === 401 ? "key.missing" : "key.invalid")}</p>}
        {unusable && (
          <p role="alert" id="api-key-problem">
            {t("key.unusable")}
          </p>
        )}
        <label for="api-key">{t("key.field")}</label>
        <input
          id="api-key"
          type="password"
          autoComplete="current-password"
          value={key}
          autoFocus
          aria-invalid={unusable}
          aria-describedby={unusable ? "api-key-problem" : undefined}
          onInput={(event) => {
            setKey(event.currentTarget.value);
            setUnusable(false);
          }}
        />
        <div class="form-actions">
          <button type="submit" class="primary">
            {t("key.save")}
          </button>
          <button
            type="button"
            onClick={() => {
              storeKey(null);
              onDone(true);
            }}
          >
            {t("key.forget")}
          </button>
          <button
            type="button"
            onClick={() => {
              onDone(false);
            }}
          >
            {t("key.cancel")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
