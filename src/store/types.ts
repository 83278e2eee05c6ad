// The durable job record and the store interface every backend implements
// (SQLite, src/store/sqlite.ts; PostgreSQL for cluster mode, src/store/postgres.ts).
// Field meanings follow the API contract's QueuedJob (docs/api.md §3; the seam: docs/architecture.md §3).

import type { JobStatus, JobType, RecordedRequest } from "../contract/requests.js";
import type { JobPlan } from "../engine/protocol.js";
import type { IdempotencyClaim, IdempotentSubmission } from "./idempotency-keys.js";

export interface JobError {
  code: string;
  message: string;
}

/** One file a job produced, by artifact key (a path relative to the outputs root). */
export interface JobOutput {
  key: string;
  kind: "image" | "video";
  seed: number;
  width: number;
  height: number;
  /** Item index in a batch. */
  index?: number;
  frames?: number;
  fps?: number;
}

export interface JobResult {
  outputs: JobOutput[];
  /** What the engine reported: seeds, sections, TeaCache, per-item statuses. */
  metadata: Record<string, unknown>;
}

/** Live progress; kept in memory and persisted at a bounded rate. */
export interface JobProgress {
  /** 0..1 */
  progress: number;
  step: number;
  total: number;
  info: string;
  phase: string | null;
  /** A video with section checkpoints: its sections, and how many its checkpoint holds. */
  sections?: SectionCount;
}

export interface SectionCount {
  total: number;
  done: number;
}

export interface BatchItemState {
  index: number;
  prompt: string;
  seed: number;
  status: "pending" | "completed" | "failed";
  /** Artifact key of the image once completed. */
  key: string | null;
  error: string | null;
}

export interface JobRecord {
  id: string;
  /** The 8-hex id of a job created through the legacy FramePack-FastAPI routes. */
  legacyId: string | null;
  type: JobType;
  status: JobStatus;
  /** The normalised request (what the API contract calls `data`). */
  data: RecordedRequest;
  /** The engine plan, without the per-attempt output directory. */
  plan: JobPlan;
  priority: number;
  /** Which API key submitted the job: a hash, never the key. null without auth. */
  apiKeyHash: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  error: JobError | null;
  result: JobResult | null;
  attempts: number;
  progress: JobProgress;
  batchItems: BatchItemState[] | null;
}

export interface NewJob {
  id: string;
  legacyId: string | null;
  type: JobType;
  data: RecordedRequest;
  plan: JobPlan;
  priority: number;
  apiKeyHash: string | null;
  batchItems: BatchItemState[] | null;
  /**
   * The submission's Idempotency-Key, claimed with the job: insert() then rejects with
   * IdempotencyKeyTakenError, storing nothing, when a live claim holds the key.
   */
  idempotency?: IdempotencyClaim;
}

export interface JobQuery {
  status?: JobStatus;
  type?: JobType;
  /** Only jobs created at or after this time (ISO 8601 UTC, as toISOString writes it). */
  since?: string;
  /** Only jobs created before this time (ISO 8601 UTC, as toISOString writes it). */
  until?: string;
  /**
   * Only jobs whose prompt, or one of a batch's prompts, contains this text (taken
   * literally: `%` and `_` are no wildcards); ASCII letters match in either case.
   */
  promptContains?: string;
  /** Only the jobs of this API key hash (null: the jobs submitted without a key). */
  apiKeyHash?: string | null;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  /** 1..200 */
  limit: number;
}

export interface JobPage {
  jobs: JobRecord[];
  nextCursor: string | null;
}

export interface RecoveryReport {
  requeued: string[];
  failed: string[];
}

/**
 * Every method that writes rejects with StoreUnavailableError (src/store/errors.ts) when
 * the store cannot write for now (its lock held elsewhere past its patience, or its disk
 * full); nothing of that call is then stored, and the caller may try again later.
 */
export interface JobStore {
  insert(job: NewJob): Promise<JobRecord>;
  /** The live (unexpired) claim of an idempotency key digest, if any. */
  idempotentSubmission(keyDigest: string): Promise<IdempotentSubmission | undefined>;
  get(id: string): Promise<JobRecord | undefined>;
  getByLegacyId(legacyId: string): Promise<JobRecord | undefined>;
  /**
   * Jobs whose id starts with `prefix` (lowercase), at most `limit`, in id order; only
   * those of `apiKeyHash` when it is given (null: the jobs submitted without a key).
   */
  byIdPrefix(prefix: string, limit: number, apiKeyHash?: string | null): Promise<JobRecord[]>;
  /** Newest first. */
  list(query: JobQuery): Promise<JobPage>;
  /** Pending jobs, oldest first: what the scheduler starts from after a restart. */
  pending(): Promise<JobRecord[]>;
  /** pending -> processing, attempts + 1; false when the job was no longer pending. */
  start(id: string): Promise<boolean>;
  /**
   * processing -> completed, its progress final (`progress`, or the latest one with
   * phase "done", progress 1 and step = total); false when the job was no longer processing.
   */
  complete(id: string, result: JobResult, progress?: JobProgress): Promise<boolean>;
  /** pending|processing -> failed; false when the job was already terminal. */
  fail(id: string, error: JobError): Promise<boolean>;
  /** pending|processing -> cancelled; false when the job was already terminal. */
  cancel(id: string): Promise<boolean>;
  /** processing -> pending (an engine died); the reason is kept as the last error. */
  requeue(id: string, reason: JobError): Promise<boolean>;
  /**
   * processing -> pending for a video that yielded its engine at a section boundary: the
   * attempt is given back (a yield is not a failure), progress kept; false when the job was
   * not processing.
   */
  yieldBack(id: string): Promise<boolean>;
  /** In memory at once, on disk at a bounded rate; never rewrites other jobs. */
  setProgress(id: string, progress: JobProgress): void;
  /**
   * Records a batch item's final state on disk at once (it is announced only after);
   * false when the job is not a running batch.
   */
  setBatchItem(id: string, item: BatchItemState): Promise<boolean>;
  /**
   * Start-up: every job left `processing` by a crash goes back to `pending` with
   * attempts kept (start() counts them), or fails once maxAttempts are used up.
   */
  recoverInterrupted(maxAttempts: number): Promise<RecoveryReport>;
  /**
   * A graceful stop, engines already down: every job still `processing` goes back to
   * `pending` with its attempt given back (a restart is not the job's failure); ids.
   */
  requeueStopped(): Promise<string[]>;
  /**
   * Terminal jobs beyond the retention limits, oldest first (for output cleanup); a null
   * limit is no limit.
   */
  expired(maxCompleted: number | null, maxAgeMs: number | null): Promise<JobRecord[]>;
  remove(ids: readonly string[]): Promise<void>;
  /** A pending job's new priority; false when the job is not pending (docs/api.md §6). */
  setPriority(id: string, priority: number): Promise<boolean>;
  /** Deletes a finished job's record; false when the job is not (or no longer) finished. */
  removeFinished(id: string): Promise<boolean>;
  /** Whether the queue is paused: nothing new starts (kept across restarts). */
  queuePaused(): Promise<boolean>;
  setQueuePaused(paused: boolean): Promise<void>;
  /** Those of `ids` that no job record has (retention's orphaned job folders). */
  withoutRecord(ids: readonly string[]): Promise<string[]>;
  /**
   * Reserves `count` job event ids and returns the first: ids handed out by any earlier
   * run of the service are all below it, whatever the clock did in between.
   */
  reserveEventIds(count: number): Promise<number>;
  /** Flushes pending progress writes and closes the database. */
  close(): Promise<void>;
}
