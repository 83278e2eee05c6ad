// An API replica's front of the shared queue (docs/cluster.md): jobs it records wait in
// the database until an agent claims them, so accepting one only announces it. Cancels,
// pauses and priorities are recorded there, where every agent reads them (a running job's
// agent learns of its cancel at its next lease renewal). Queue positions come from a
// periodic read of the pending jobs in the scheduler's order; the reaper runs here too,
// one process at a time, so expired leases are taken back even with no agent left.
import type { Logger } from "pino";
import { TERMINAL_STATUSES } from "../contract/requests.js";
import type { ArtifactStore } from "../artifacts/types.js";
import type { JobEventPublisher } from "../jobs/events.js";
import type { JobQueue } from "../jobs/queue.js";
import { queueEntryOf } from "../jobs/queue-entries.js";
import { DEFAULT_POLICY } from "../scheduler/policy.js";
import { PriorityDispatcher } from "../scheduler/priority-dispatcher.js";
import type { LeasedJobStore } from "../store/leases.js";
import { reapExpiredLeases } from "./reaper.js";
import type { JobRecord } from "../store/types.js";

export interface ReplicaQueueOptions {
  store: LeasedJobStore;
  events: JobEventPublisher;
  artifacts: Pick<ArtifactStore, "removeCheckpoint">;
  logger: Logger;
  maxAttempts: number;
  /** How often positions and the paused state are read again, and expired leases reaped. */
  refreshMs: number;
  /**
   * Wakes for the jobs whose events were appended anywhere in the cluster (the durable
   * event log's): a finished one among them is announced to onFinished listeners.
   */
  appended: (listener: (jobId: string) => void) => () => void;
  /** Pending jobs read for positions (oldest per key first); others have none (null). */
  positionsLimit?: number;
}

const REMEMBER_ANNOUNCED = 10_000;

export class ReplicaQueue implements JobQueue {
  readonly #o: ReplicaQueueOptions;
  /** The pending jobs as last read, in the scheduler's order; a position is asked of it. */
  #pending = new PriorityDispatcher(DEFAULT_POLICY);
  #paused = false;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribeFinished: (() => void) | undefined;
  readonly #finishedListeners = new Set<(job: JobRecord) => void>();
  /** Jobs announced as finished already (the newest ones), so each is announced once. */
  readonly #announced = new Set<string>();

  constructor(options: ReplicaQueueOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    this.#unsubscribeFinished = this.#o.appended((jobId) => {
      this.#announceFinished(jobId).catch((error: unknown) => {
        this.#o.logger.warn({ job: jobId, err: error }, "reading a finished job failed");
      });
    });
    await this.#refresh();
    this.#timer = setInterval(() => {
      this.#refresh().catch((error: unknown) => {
        this.#o.logger.warn({ err: error }, "reading the shared queue failed; trying again");
      });
    }, this.#o.refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#unsubscribeFinished?.();
  }

  accept(job: JobRecord): void {
    this.#o.events.publish(job.id, "status", { status: job.status });
  }

  preview(): string | null {
    // Previews reach clients through the job's event stream from the agent that runs it.
    return null;
  }

  queuePosition(job: JobRecord): number | null {
    if (job.status !== "pending") return null;
    return this.#pending.position(queueEntryOf(job).id, Date.now()) ?? null;
  }

  async cancel(jobId: string): Promise<void> {
    if (!(await this.#o.store.cancel(jobId))) return;
    // Announced here: the agent running it only stops its engine, at its next renewal.
    this.#o.events.publish(jobId, "status", { status: "cancelled" });
    this.#o.events.publish(jobId, "done", { status: "cancelled" });
    // The job is cancelled whatever happens here: a checkpoint left goes with the job.
    await this.#o.artifacts.removeCheckpoint(jobId).catch((error: unknown) => {
      this.#o.logger.warn(
        { job: jobId, err: error },
        "removing the cancelled video's checkpoint failed",
      );
    });
  }

  get paused(): boolean {
    return this.#paused;
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.#o.store.setQueuePaused(paused);
    this.#paused = paused;
  }

  setPriority(job: JobRecord, priority: number): Promise<boolean> {
    return this.#o.store.setPriority(job.id, priority);
  }

  onFinished(listener: (job: JobRecord) => void): () => void {
    this.#finishedListeners.add(listener);
    return () => {
      this.#finishedListeners.delete(listener);
    };
  }

  async #announceFinished(jobId: string): Promise<void> {
    if (this.#finishedListeners.size === 0 || this.#announced.has(jobId)) return;
    const job = await this.#o.store.get(jobId);
    if (!job || !TERMINAL_STATUSES.includes(job.status) || this.#announced.has(jobId)) return;
    this.#announced.add(jobId);
    if (this.#announced.size > REMEMBER_ANNOUNCED) {
      const [oldest] = this.#announced;
      if (oldest !== undefined) this.#announced.delete(oldest);
    }
    for (const listener of this.#finishedListeners) {
      try {
        listener(job);
      } catch (error) {
        this.#o.logger.warn({ job: jobId, err: error }, "a finished-job listener failed");
      }
    }
  }

  async #refresh(): Promise<void> {
    const { store, maxAttempts, logger } = this.#o;
    this.#paused = await store.queuePaused();
    await reapExpiredLeases(store, this.#o.events, maxAttempts, logger);
    const limit = this.#o.positionsLimit ?? 500;
    const pending = await store.candidates({ perKey: limit, limit });
    const dispatcher = new PriorityDispatcher(DEFAULT_POLICY);
    for (const job of pending) dispatcher.enqueue(queueEntryOf(job));
    this.#pending = dispatcher;
  }
}
