// A job's progress: bar, phase and step, queue position, and batch counts. Fixed
// height, so the card does not move as the numbers change.
import type { ProgressEvent } from "../../../src/engine/protocol.gen";
import type { Job } from "../api/types";
import { useT, type MessageKey } from "../i18n";

/** The phase a completed job's record ends in (the engine's phases come before it). */
type Phase = ProgressEvent["phase"] | "done";

/** The phases in words (a phase the protocol adds is a compile error here). */
const PHASES: Record<Phase, MessageKey> = {
  loading: "phase.loading",
  encoding: "phase.encoding",
  sampling: "phase.sampling",
  decoding: "phase.decoding",
  saving: "phase.saving",
  done: "phase.done",
};

function isPhase(phase: string): phase is Phase {
  return Object.hasOwn(PHASES, phase);
}

/** What the line under the bar says: why a job failed, its time once done, else the engine's. */
function infoLine(job: Job, t: ReturnType<typeof useT>): string {
  if (job.error) return job.error.message;
  if (job.status === "completed" && job.duration_s !== null) {
    return t("queue.finishedIn", { seconds: job.duration_s.toFixed(1) });
  }
  return job.info;
}

export function JobProgress({ job }: { job: Job }) {
  const t = useT();
  const percent = Math.round(job.progress * 100);
  const details: string[] = [];
  if (job.status === "pending" && job.queue_position !== null)
    details.push(t("queue.position", { position: job.queue_position + 1 }));
  // The API passes the phase as text: one this page does not know is shown as it is.
  if (job.phase) details.push(isPhase(job.phase) ? t(PHASES[job.phase]) : job.phase);
  if (job.total > 0) details.push(t("queue.step", { step: job.step, total: job.total }));
  if (job.batch_progress) {
    const { completed, total, failed } = job.batch_progress;
    details.push(t("queue.items", { completed, total, failed }));
  }
  return (
    <div class="job-progress">
      <div
        class="progress-bar"
        role="progressbar"
        aria-label={t("queue.progress")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div class={`progress-fill status-${job.status}`} style={{ width: `${percent}%` }} />
      </div>
      <p class="job-details" data-testid="job-details">
        <span>{percent}%</span> {details.join(" · ")}
      </p>
      <p class="job-info">{infoLine(job, t)}</p>
    </div>
  );
}
