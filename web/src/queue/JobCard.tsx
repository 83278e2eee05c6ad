// One job in the queue: what it is, its state, the latest preview (its result once done),
// and cancel.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { isTerminal, type Job } from "../api/types";
import { useT } from "../i18n";
import { JobActions } from "./JobActions";
import { JobProgress } from "./JobProgress";
import { hasThumbnail, JobThumbnail } from "./JobThumbnail";

export function jobTitle(job: Job): string {
  const data = job.data;
  const prompt = typeof data.prompt === "string" ? data.prompt : undefined;
  const prompts = Array.isArray(data.prompts) ? (data.prompts as string[]) : [];
  return prompt ?? prompts.join(" / ");
}

export function JobCard({ job, onChanged }: { job: Job; onChanged: () => void }) {
  const t = useT();
  const [cancelling, setCancelling] = useState(false);
  const shortId = job.id.slice(0, 8);
  const cancel = async () => {
    setCancelling(true);
    try {
      await api.cancel(job.id);
    } catch {
      // Finished meanwhile (409): the refresh shows how it ended.
    } finally {
      setCancelling(false);
      onChanged();
    }
  };
  return (
    <li class={`job-card status-${job.status}`} data-job-id={job.id} data-status={job.status}>
      <div class="preview-box" aria-label={t("queue.preview")}>
        {hasThumbnail(job) ? (
          <JobThumbnail job={job} />
        ) : job.preview ? (
          <img src={job.preview} alt={t("queue.preview")} class="job-preview" />
        ) : (
          <span class="hint">{t("queue.noPreview")}</span>
        )}
      </div>
      <div class="job-body">
        <p class="job-head">
          <span class="badge">{t(`kind.${job.type}`)}</span>
          <span class={`badge status status-${job.status}`}>{t(`status.${job.status}`)}</span>
          <span class="job-id">{shortId}</span>
        </p>
        <p class="job-title">{jobTitle(job)}</p>
        <JobProgress job={job} />
        {!isTerminal(job.status) && (
          <button
            type="button"
            // Every card has one: the name says which job it stops.
            aria-label={t("queue.cancelJob", { id: shortId })}
            disabled={cancelling}
            onClick={() => void cancel()}
          >
            {t("queue.cancel")}
          </button>
        )}
        <JobActions job={job} onChanged={onChanged} />
      </div>
    </li>
  );
}
