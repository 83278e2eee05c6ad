// A queue card's actions beyond cancel (docs/api.md §6): a pending job's priority raised
// or lowered (its queue position follows), a finished job retried as a new job (same
// inputs and seed) or deleted with its files. Each reports a refusal on the card, and
// every change refreshes the list.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { isTerminal, type Job } from "../api/types";
import { useT } from "../i18n";

/** The API's priority range (src/contract/requests.ts). */
const PRIORITY = { min: -10, max: 10 };

export function JobActions({ job, onChanged }: { job: Job; onChanged: () => void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = job.id.slice(0, 8);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  const prioritize = (priority: number) => act(() => api.setPriority(job.id, priority));
  return (
    <div class="job-actions">
      {job.status === "pending" && (
        <>
          <span class="hint">{t("queue.priority", { priority: job.priority })}</span>
          <button
            type="button"
            aria-label={t("queue.raiseJob", { id })}
            disabled={busy || job.priority >= PRIORITY.max}
            onClick={() => void prioritize(job.priority + 1)}
          >
            {t("queue.raise")}
          </button>
          <button
            type="button"
            aria-label={t("queue.lowerJob", { id })}
            disabled={busy || job.priority <= PRIORITY.min}
            onClick={() => void prioritize(job.priority - 1)}
          >
            {t("queue.lower")}
          </button>
        </>
      )}
      {isTerminal(job.status) && (
        <>
          <button
            type="button"
            aria-label={t("queue.retryJob", { id })}
            disabled={busy}
            onClick={() => void act(() => api.retry(job.id, false))}
          >
            {t("queue.retry")}
          </button>
          <button
            type="button"
            aria-label={t("queue.deleteJob", { id })}
            disabled={busy}
            onClick={() => void act(() => api.remove(job.id))}
          >
            {t("queue.delete")}
          </button>
        </>
      )}
      {failure && (
        <p class="form-errors" role="alert">
          {t("queue.actionFailed", { message: failure })}
        </p>
      )}
    </div>
  );
}
