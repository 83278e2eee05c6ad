// What the scheduler orders: queue entries, and the engines that ask for work.
import type { JobType } from "../contract/requests.js";

export interface QueueEntry {
  /** Unique per entry: a job id, or `${jobId}#${chunk}` for a micro-batch of a batch job. */
  id: string;
  jobId: string;
  type: JobType;
  /** Per-request priority: higher runs earlier (api: `priority`, default 0). */
  priority: number;
  /** Milliseconds since the epoch when the entry became pending. */
  enqueuedAt: number;
  apiKeyHash: string | null;
  /** Model variant and LoRA set the plan needs; matching an engine's saves a switch. */
  affinity: EngineLoadout;
}

export interface EngineLoadout {
  transformer: "base" | "f1";
  /** A stable key of the LoRA stack (paths and scales), "" for none. */
  loras: string;
}

export interface EngineSlot {
  id: string;
  /** What the engine ran last, or null before its first job. */
  loadout: EngineLoadout | null;
}

/** The order in which pending work is handed to free engines. */
export interface Dispatcher {
  enqueue(entry: QueueEntry): void;
  /** Removes an entry (cancelled); true when it was queued. */
  remove(entryId: string): boolean;
  /**
   * Picks and removes the next entry for this engine (among those `startable` accepts,
   * when given), or undefined when there is none.
   */
  next(
    engine: EngineSlot,
    now: number,
    startable?: (entry: QueueEntry) => boolean,
  ): QueueEntry | undefined;
  /**
   * The queued entry that should take `engine` from its running entry at the running job's
   * next section boundary (policy.ts mayPreempt), or undefined. `yields`: how often the
   * running job has yielded already. Nothing is removed from the queue.
   */
  preemptor(
    running: QueueEntry,
    engine: EngineSlot,
    yields: number,
    now: number,
  ): QueueEntry | undefined;
  /** 0-based position in the current order (0 = next), undefined when not queued. */
  position(entryId: string, now: number): number | undefined;
  size(): number;
  /** Entries per API key hash (null = no key), for per-key queue limits. */
  countByKey(apiKeyHash: string | null): number;
}
