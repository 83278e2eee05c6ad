// The queue's Pause/Resume button (docs/api.md §6): paused, no new job starts while
// running ones finish; the state lives on the server (it survives a restart), so the
// button shows what the server says, read again whenever the list changes.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { useT } from "../i18n";

export function QueueControl({ version, onChanged }: { version: number; onChanged: () => void }) {
  const t = useT();
  const [paused, setPaused] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    api.queue().then(
      (state) => {
        setPaused(state.paused);
      },
      () => {
        // The list shows why the server does not answer.
      },
    );
  }, [version]);
  const toggle = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const state = await (paused ? api.resumeQueue() : api.pauseQueue());
      setPaused(state.paused);
    } catch (error) {
      // A tenant key may not pause (admin_only): the message says so.
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  if (paused === null) return null;
  return (
    <div class="queue-control">
      <button type="button" disabled={busy} aria-pressed={paused} onClick={() => void toggle()}>
        {paused ? t("queue.resume") : t("queue.pause")}
      </button>
      {paused && (
        <p class="hint" role="status">
          {t("queue.paused")}
        </p>
      )}
      {failure && (
        <p class="form-errors" role="alert">
          {t("queue.actionFailed", { message: failure })}
        </p>
      )}
    </div>
  );
}
