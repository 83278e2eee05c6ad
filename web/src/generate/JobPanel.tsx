// The Generate page's live side: the job just sent, followed where it was sent from:
// its progress (phase, step, time left over the whole job), the latest preview while it
// runs, then the result large (picture or player) with its seed and time taken, and the
// same request again with a new seed.
import { useMemo, useState } from "preact/hooks";
import { isTerminal } from "../api/types";
import { LoadError } from "../app/LoadError";
import { galleryOutputs } from "../gallery/gallery-items";
import { OutputMedia } from "../gallery/OutputMedia";
import { outputLabel, Viewer } from "../gallery/Viewer";
import { useT } from "../i18n";
import { JobProgress } from "../queue/JobProgress";
import { useJob } from "../queue/use-job";

interface JobPanelProps {
  jobId: string | undefined;
  /** Sends the same request with a new random seed; undefined while a request is under way. */
  onAgain: (() => void) | undefined;
  onShowQueue: () => void;
}

export function JobPanel({ jobId, onAgain, onShowQueue }: JobPanelProps) {
  const t = useT();
  const { job, error } = useJob(jobId);
  const completed = job?.status === "completed" ? job : undefined;
  const outputs = useMemo(() => (completed ? galleryOutputs([completed]) : []), [completed]);
  /** The output open in the full-size viewer, an index into `outputs`. */
  const [viewing, setViewing] = useState<number>();
  return (
    <section class="job-panel" aria-labelledby="job-panel-title" aria-live="polite">
      <h3 id="job-panel-title">{t("work.title")}</h3>
      <LoadError error={error} retrying />
      {!jobId && <p class="hint">{t("work.empty")}</p>}
      {job && (
        <div class={`live-job status-${job.status}`} data-job-id={job.id} data-status={job.status}>
          <p class="job-head">
            <span class="badge">{t(`kind.${job.type}`)}</span>
            <span class={`badge status status-${job.status}`}>{t(`status.${job.status}`)}</span>
            <span class="job-id">{job.id.slice(0, 8)}</span>{" "}
            <button type="button" class="link" onClick={onShowQueue}>
              {t("form.showQueue")}
            </button>
          </p>
          <JobProgress job={job} />
          {!isTerminal(job.status) && job.preview && (
            <img src={job.preview} alt={t("queue.preview")} class="live-preview" />
          )}
          {outputs.length > 0 && (
            <div class="live-result" aria-label={t("work.result")}>
              {outputs.map((output, at) => (
                <OutputMedia
                  key={output.url}
                  kind={output.kind}
                  url={output.url}
                  width={output.width}
                  height={output.height}
                  seed={output.seed}
                  label={outputLabel(output)}
                  onOpen={() => {
                    setViewing(at);
                  }}
                />
              ))}
            </div>
          )}
          {viewing !== undefined && (
            <Viewer
              outputs={outputs}
              at={viewing}
              onMove={setViewing}
              onClose={() => {
                setViewing(undefined);
              }}
            />
          )}
          {isTerminal(job.status) && (
            <button type="button" disabled={!onAgain} onClick={onAgain}>
              {t("work.again")}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
