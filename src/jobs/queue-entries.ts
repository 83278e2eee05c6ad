// A job as the scheduler sees it: its queue entry (type, priority, arrival, key) and the
// loadout it needs, for the one-box runner and the cluster agents alike.
import type { EngineLoadout, QueueEntry } from "../scheduler/types.js";
import type { JobRecord } from "../store/types.js";
import { entryIdOf } from "./batch-chunks.js";

/** The queue entry of a job's next run, queued by its original arrival time. */
export function queueEntryOf(job: JobRecord): QueueEntry {
  return {
    id: entryIdOf(job),
    jobId: job.id,
    type: job.type,
    priority: job.priority,
    enqueuedAt: Date.parse(job.createdAt),
    apiKeyHash: job.apiKeyHash,
    affinity: loadoutOf(job),
  };
}

/** The transformer and LoRA stack a job needs, for the scheduler's affinity. */
export function loadoutOf({ plan }: JobRecord): EngineLoadout {
  return {
    transformer: plan.transformer,
    loras: plan.loras.map((lora) => `${lora.path}:${String(lora.scale)}`).join("|"),
  };
}
