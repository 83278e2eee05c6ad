// How far a job is over its whole run, and how long the rest will take. The engine counts
// sampling steps over the whole job (a video's sections, a batch run's micro-batches:
// engine/framepack_engine/plans/frames.py step_reporter), but reports a video's decoding
// between sections by section (step = section, total = sections): both are turned into
// one share of the job here, so the ETA does not jump back at each section.

/**
 * The fields of a job record (QueuedJob) read here; a structural type, so that the
 * service's tests, compiled apart from the page, can import this module.
 */
export interface JobNumbers {
  type: string;
  status: string;
  phase: string | null;
  step: number;
  total: number;
  progress: number;
  data: Record<string, unknown>;
}

/** A job's share done at a moment (performance.now() or Date.now() milliseconds). */
export interface WorkSample {
  fraction: number;
  at: number;
}

/** The share of a job's work done, 0 to 1, by its phase and numbers. */
export function workFraction(job: JobNumbers): number {
  if (job.status === "completed") return 1;
  if (job.type === "batch_image") return job.progress; // the service's share over the items
  const ratio = job.total > 0 ? Math.min(1, job.step / job.total) : 0;
  switch (job.phase) {
    case "sampling":
      return ratio;
    case "decoding":
      // A video's sections each end in a decode; an image's one decode follows its steps.
      return job.type === "video" ? ratio : 1;
    case "saving":
    case "done":
      return 1;
    default:
      return 0; // loading models, encoding the inputs: before the first step
  }
}

/** A video's section now (1-based) and its count, from the steps it reports; else none. */
export function videoSection(job: JobNumbers): { section: number; count: number } | undefined {
  if (job.type !== "video" || job.total <= 0) return undefined;
  if (job.phase === "decoding") return { section: job.step, count: job.total };
  const steps = job.data.steps;
  if (job.phase !== "sampling" || typeof steps !== "number" || steps <= 0) return undefined;
  const count = Math.round(job.total / steps);
  const section = Math.min(count, Math.floor(Math.max(0, job.step - 1) / steps) + 1);
  return count > 0 ? { section, count } : undefined;
}

/**
 * Seconds left, at the pace from `first` to `latest` (two samples of one run); undefined
 * until the work has moved, or once it is all done.
 */
export function remainingSeconds(first: WorkSample, latest: WorkSample): number | undefined {
  const moved = latest.fraction - first.fraction;
  if (moved <= 0 || latest.fraction >= 1 || latest.at <= first.at) return undefined;
  const msPerShare = (latest.at - first.at) / moved;
  return (msPerShare * (1 - latest.fraction)) / 1000;
}

/** 0:42, 3:05, 1:02:09 */
export function clockTime(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const two = (value: number) => String(value).padStart(2, "0");
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = two(whole % 60);
  return hours > 0 ? `${hours}:${two(minutes)}:${rest}` : `${minutes}:${rest}`;
}
