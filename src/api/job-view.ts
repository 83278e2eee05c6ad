// The job record as the API shows it: the contract's QueuedJob (docs/api.md §3).
import type { JobRecord } from "../store/types.js";

export interface JobViewContext {
  /** URL of an artifact key. */
  url: (key: string) => string;
  preview: string | null;
  queuePosition: number | null;
}

export function queuedJob(job: JobRecord, context: JobViewContext) {
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
    progress: job.status === "completed" ? 1 : job.progress.progress,
    step: job.progress.step,
    total: job.progress.total,
    info: job.progress.info,
    phase: job.progress.phase,
    preview: context.preview,
    batch_progress: job.batchItems && batchProgress(job, context),
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
