// What the job service needs from whatever runs the queued jobs: the one-box runner
// (runner.ts: this process's engines pull from an in-memory scheduler) or, in cluster
// mode, the replica's front of the shared queue (src/cluster/replica-queue.ts: agents on
// other hosts claim from the database).
import type { JobRecord } from "../store/types.js";

export interface JobQueue {
  /** Starts taking work (recovering what a crash left, where this process owns that). */
  start(): Promise<void>;
  /** At a graceful stop: starts nothing further. */
  stop(): void;
  /** A job just recorded as pending: announced and queued. */
  accept(job: JobRecord): void;
  /** The latest preview of a running job (a data URI), null when there is none here. */
  preview(jobId: string): string | null;
  /** 0-based position of a waiting job, null when it is not waiting (or not known here). */
  queuePosition(job: JobRecord): number | null;
  /** Pending: removed at once. Processing: its engine stops soon. Recorded first. */
  cancel(jobId: string): Promise<void>;
  readonly paused: boolean;
  /** Recorded first, so that the state survives a restart and reaches every process. */
  setPaused(paused: boolean): Promise<void>;
  /** A pending job's new priority; false when it is not pending. */
  setPriority(job: JobRecord, priority: number): Promise<boolean>;
  /** Calls `listener` with each job once it is terminal; returns an unsubscribe. */
  onFinished(listener: (job: JobRecord) => void): () => void;
}
