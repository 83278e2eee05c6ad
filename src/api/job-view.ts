// The job record as the API shows it: the contract's QueuedJob (docs/api.md §3).
import { completedProgress, durationSeconds } from "../jobs/progress-relay.js";
import type { JobService } from "../jobs/service.js";
import type { JobRecord } from "../store/types.js";

export interface JobViewContext {
  /** URL of an artifact key. */
  url: (key: string) => string;
  preview: string | null;
  queuePosition: number | null;
}

/** The view of records as they are now: live preview and queue position from `jobs`. */
export function jobViewer(
  jobs: Pick<JobService, "preview" | "queuePosition">,
  url: (key: string) => string,
) {
  return (job: JobRecord) =>
    queuedJob(job, { url, preview: jobs.preview(job.id), queuePosition: jobs.queuePosition(job) });
}

export function queuedJob(job: JobRecord, context: JobViewContext) {
  // A completed job's progress is final whatever the engine reported last (records
  // from before the store kept it so included).
  const progress = job.status === "completed" ? completedProgress(job) : job.progress;
  return {
    id: job.id,
    type: job.type,
    data: job.data,
    status: job.status,
    created_at: job.createdAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    error: job.status === "failed" || job.status === "cancelled" ? job.error : null,
    result: job.result && resultView(job, context),
    duration_s: durationSeconds(job),
    progress: progress.progress,
    step: progress.step,
    total: progress.total,
    info: progress.info,
    phase: progress.phase,
    preview: context.preview,
    batch_progress: job.batchItems && batchProgress(job, context),
    sections: progress.sections ?? null,
    queue_position: context.queuePosition,
    priority: job.priority,
    attempts: job.attempts,
  };
}

function resultView(job: JobRecord, context: JobViewContext) {
  const outputs = job.result?.outputs ?? [];
  const images = outputs
    .filter((output) => output.kind === "image")
    .map((output) => ({
      url: context.url(output.key),
      seed: output.seed,
      width: output.width,
      height: output.height,
      ...(output.index === undefined ? {} : { index: output.index }),
    }));
  const video = outputs.find((output) => output.kind === "video");
  return {
    images,
    video: video
      ? {
          url: context.url(video.key),
          seed: video.seed,
          width: video.width,
          height: video.height,
          frames: video.frames ?? null,
          fps: video.fps ?? null,
        }
      : null,
    seeds: outputs.map((output) => output.seed),
    metadata: job.result?.metadata ?? {},
  };
}

function batchProgress(job: JobRecord, context: JobViewContext) {
  const items = job.batchItems ?? [];
  return {
    total: items.length,
    completed: items.filter((item) => item.status === "completed").length,
    failed: items.filter((item) => item.status === "failed").length,
    items: items.map((item) => ({
      index: item.index,
      prompt: item.prompt,
      seed: item.seed,
      status: item.status,
      url: item.key ? context.url(item.key) : null,
      error: item.error,
    })),
  };
}
