// The progress and batch-item writes of the runs an agent holds leases for: each names
// its lease, so a run whose lease is gone (reaped, cancelled, taken by another agent)
// writes nothing and is reported lost. Progress is coalesced: the latest of each run is
// written at a bounded rate, never one row per engine tick (docs/cluster.md).
import type { Lease, LeasedJobStore } from "../store/leases.js";
import type { BatchItemState, JobProgress } from "../store/types.js";
import type { ProgressWrites } from "../jobs/progress-relay.js";

export interface LeasedWritesOptions {
  store: LeasedJobStore;
  /** The lease a job runs under on this agent, undefined when it runs here no longer. */
  leaseOf: (jobId: string) => Lease | undefined;
  /** A write found the lease gone: the run must stop and commit nothing. */
  onLost: (jobId: string) => void;
  /** Told of a write that failed for another reason (the next flush tries again). */
  onError: (jobId: string, error: unknown) => void;
  flushMs: number;
}

export class LeasedWrites implements ProgressWrites {
  readonly #o: LeasedWritesOptions;
  readonly #latest = new Map<string, JobProgress>();
  readonly #timer: NodeJS.Timeout;
  #flushing = false;

  constructor(options: LeasedWritesOptions) {
    this.#o = options;
    this.#timer = setInterval(() => void this.flush(), options.flushMs);
    this.#timer.unref();
  }

  setProgress(jobId: string, progress: JobProgress): void {
    this.#latest.set(jobId, progress);
  }

  async setBatchItem(jobId: string, item: BatchItemState): Promise<boolean> {
    const lease = this.#o.leaseOf(jobId);
    if (!lease) return false;
    const written = await this.#o.store.setBatchItemLeased(lease, item);
    if (!written) this.#o.onLost(jobId);
    return written;
  }

  /** Writes the latest progress of every run that reported since the last flush. */
  async flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      const due = [...this.#latest];
      this.#latest.clear();
      await Promise.all(due.map(([jobId, progress]) => this.#write(jobId, progress)));
    } finally {
      this.#flushing = false;
    }
  }

  /** Drops a run's unwritten progress (it ended; its final state is written with it). */
  forget(jobId: string): void {
    this.#latest.delete(jobId);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #write(jobId: string, progress: JobProgress): Promise<void> {
    const lease = this.#o.leaseOf(jobId);
    if (!lease) return;
    try {
      if (!(await this.#o.store.setProgressLeased(lease, progress))) this.#o.onLost(jobId);
    } catch (error) {
      if (!this.#latest.has(jobId)) this.#latest.set(jobId, progress);
      this.#o.onError(jobId, error);
    }
  }
}
