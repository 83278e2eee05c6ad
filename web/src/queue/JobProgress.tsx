// A job's progress: bar, phase, video section and step, queue position, batch counts and
// the time left over the whole job, all in the page's language from the record's codes
// and numbers (the engine's English `info` is not shown). Fixed height, so the card does
// not move as the numbers change.
import { useRef } from "preact/hooks";
import type { ProgressEvent } from "../../../src/engine/protocol.gen";
import type { Job } from "../api/types";
import { useT, type MessageKey } from "../i18n";
import {
  clockTime,
  remainingSeconds,
  videoSection,
  workFraction,
  type WorkSample,
} from "./job-eta";

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

/**
 * Seconds left in a running job, at its pace since this page first saw it move (a new
 * run, such as a retry, starts again); undefined until then.
 */
function useRemaining(job: Job): number | undefined {
  const first = useRef<{ id: string; sample: WorkSample }>();
  const latest = { fraction: workFraction(job), at: performance.now() };
  const base = first.current;
  if (job.status !== "processing") {
    first.current = undefined;
    return undefined;
  }
  if (base?.id === job.id && latest.fraction >= base.sample.fraction) {
    return remainingSeconds(base.sample, latest);
  }
  first.current = latest.fraction > 0 ? { id: job.id, sample: latest } : undefined;
  return undefined;
}

/** The line under the bar: why a job failed, its time once done, the time left while running. */
function infoLine(job: Job, remaining: number | undefined, t: ReturnType<typeof useT>): string {
  if (job.error) {
    const reason = job.error.message;
    return job.status === "failed" ? t("queue.failedBecause", { reason }) : reason;
  }
  if (job.status === "completed" && job.duration_s !== null) {
    return t("queue.finishedIn", { seconds: job.duration_s.toFixed(1) });
  }
  return remaining === undefined ? "" : t("queue.remaining", { time: clockTime(remaining) });
}

export function JobProgress({ job }: { job: Job }) {
  const t = useT();
  const remaining = useRemaining(job);
  const percent = Math.round(workFraction(job) * 100);
  const details: string[] = [];
  if (job.status === "pending" && job.queue_position !== null)
    details.push(t("queue.position", { position: job.queue_position + 1 }));
  // The API passes the phase as text: one this page does not know is shown as it is.
  if (job.phase) details.push(isPhase(job.phase) ? t(PHASES[job.phase]) : job.phase);
  const section = videoSection(job);
  if (section) details.push(t("queue.section", section));
  // A video's decode counts sections, not steps: its section says it all.
  if (job.total > 0 && !(section && job.phase === "decoding")) {
    details.push(t("queue.step", { step: job.step, total: job.total }));
  }
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
      <p class="job-info" data-testid="job-info">
        {infoLine(job, remaining, t)}
      </p>
    </div>
  );
}
