// Batch jobs run in micro-batches: each engine run takes the next `batch_size`
// pending items (one transformer call), and the job goes back into the queue for
// the rest, so a long batch never holds an engine against everyone else's jobs.
// The items' states in the job record say what is left, also after a restart.
import type { BatchItem } from "../engine/protocol.js";
import type { BatchItemState, JobOutput, JobRecord } from "../store/types.js";

export function pendingItems(job: JobRecord): BatchItemState[] {
  return (job.batchItems ?? []).filter((item) => item.status === "pending");
}

/** The queue entry id of the job's next run: the job id, or "<id>#<first pending item>". */
export function entryIdOf(job: JobRecord): string {
  if (job.type !== "batch_image") return job.id;
  return `${job.id}#${String(pendingItems(job)[0]?.index ?? 0)}`;
}

/** The plan of the next run: a batch plan's next micro-batch, any other plan as it is. */
export function nextRunPlan(job: JobRecord): Record<string, unknown> {
  if (job.type !== "batch_image") return job.plan;
  const size = Number(job.plan.batch_size);
  const items = job.plan.items as BatchItem[];
  const chunk = pendingItems(job)
    .slice(0, size)
    .map((state) => ({ ...items[state.index], index: state.index }));
  return { ...job.plan, items: chunk };
}

/** Outputs of a finished batch, from its items (the engine wrote each at the plan's size). */
export function batchOutputs(job: JobRecord): JobOutput[] {
  const width = Number(job.plan.width);
  const height = Number(job.plan.height);
  return (job.batchItems ?? []).flatMap((item) =>
    item.status === "completed" && item.key
      ? [
          {
            key: item.key,
            kind: "image" as const,
            seed: item.seed,
            width,
            height,
            index: item.index,
          },
        ]
      : [],
  );
}

/** Share of the batch done: finished items plus the running micro-batch's fraction. */
export function batchProgress(job: JobRecord, runFraction: number): number {
  const items = job.batchItems ?? [];
  if (items.length === 0) return runFraction;
  const finished = items.length - pendingItems(job).length;
  const running = Math.min(Number(job.plan.batch_size), pendingItems(job).length);
  return Math.min(1, (finished + runFraction * running) / items.length);
}
