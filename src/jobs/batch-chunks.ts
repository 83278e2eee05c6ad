// Batch jobs run in micro-batches: each engine run takes the next `batch_size`
// pending items (one transformer call), and the job goes back into the queue for
// the rest, so a long batch never holds an engine against everyone else's jobs.
// The items' states in the job record say what is left, also after a restart.
import type { ArtifactStore } from "../artifacts/types.js";
import { planFor, type JobPlan, type Plan } from "../engine/protocol.js";
import type { BatchItemState, JobOutput, JobRecord } from "../store/types.js";

export function pendingItems(job: JobRecord): BatchItemState[] {
  return (job.batchItems ?? []).filter((item) => item.status === "pending");
}

/** The queue entry id of the job's next run: the job id, or "<id>#<first pending item>". */
export function entryIdOf(job: JobRecord): string {
  if (job.plan.kind !== "batch") return job.id;
  return `${job.id}#${String(pendingItems(job)[0]?.index ?? 0)}`;
}

/** The plan of the next run: a batch plan's next micro-batch, any other plan as it is. */
export function nextRunPlan(job: JobRecord): JobPlan {
  const { plan } = job;
  if (plan.kind !== "batch") return plan;
  const chunk = pendingItems(job)
    .slice(0, plan.batch_size)
    .flatMap((state) => {
      const item = plan.items[state.index];
      return item ? [{ ...item, index: state.index }] : [];
    });
  const [first, ...rest] = chunk;
  if (first === undefined) throw new Error(`batch job ${job.id} has no pending item to run`);
  return { ...plan, items: [first, ...rest] };
}

/** Outputs of a finished batch, from its items (the engine wrote each at the plan's size). */
export function batchOutputs(job: JobRecord): JobOutput[] {
  if (job.plan.kind !== "batch") return [];
  // A batch plan's size is always set (snapped from the request's).
  const width = job.plan.width ?? 0;
  const height = job.plan.height ?? 0;
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
  if (items.length === 0 || job.plan.kind !== "batch") return runFraction;
  const pending = pendingItems(job).length;
  const running = Math.min(job.plan.batch_size, pending);
  return Math.min(1, (items.length - pending + runFraction * running) / items.length);
}

/**
 * The plan of a job's next run with its folders in `artifacts`: outputs (an earlier
 * attempt's half-written files removed, its engine may have died mid-write) and the
 * section checkpoint a video resumes from when an earlier attempt left one.
 */
export async function runPlanFor(job: JobRecord, artifacts: ArtifactStore): Promise<Plan> {
  const outputDir = await artifacts.outputDir(job.id);
  await artifacts.removePartialOutputs(job.id);
  return planFor(nextRunPlan(job), outputDir, artifacts.checkpointDir(job.id));
}
