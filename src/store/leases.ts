// Cluster mode's shared queue (docs/cluster.md): running jobs are held under leases that
// the database's clock times, so that a GPU host that died, was partitioned or paused
// loses its jobs to the reaper, and can no longer commit them when it comes back.
// Implemented by the PostgreSQL store (src/store/postgres.ts); the one-box SQLite store
// has no leases.
import type { JobType } from "../contract/requests.js";
import type {
  BatchItemState,
  JobError,
  JobProgress,
  JobRecord,
  JobResult,
  JobStore,
  RecoveryReport,
} from "./types.js";

/** One run of a job on one agent's engine. */
export interface Lease {
  jobId: string;
  /** The agent holding it (its id, unique per process). */
  owner: string;
  /** Random per claim: every write of the run names it, so a stale holder's writes do nothing. */
  token: string;
  /** The attempt this run is (1-based): outputs are keyed by job and attempt. */
  attempt: number;
}

export interface CandidateQuery {
  /** Job types the agent runs (all when absent). */
  types?: readonly JobType[];
  /**
   * At most this many per API key (its highest priority first, then its oldest), so that
   * fair share sees every key.
   */
  perKey: number;
  /** At most this many in all. */
  limit: number;
}

export interface Renewal {
  /** False when the lease is gone (expired and reaped, cancelled, or taken by another). */
  held: boolean;
  /** The job was cancelled: its engine stops now. */
  cancelled: boolean;
}

/** A GPU host as the cluster sees it (`/api/system`'s agents). */
export interface AgentInfo {
  id: string;
  host: string;
  /** Its engines: id, state and what each has loaded (free-form, as the agent reports). */
  engines: unknown[];
  startedAt: string;
  /** The database's time of its last heartbeat. */
  heartbeatAt: string;
}

export interface LeasedJobStore extends JobStore {
  /**
   * Pending jobs an agent may choose from: a bounded set, each key's first before any
   * key's second (so that a cut at `limit` leaves no key out that it can keep).
   */
  candidates(query: CandidateQuery): Promise<JobRecord[]>;
  /**
   * pending -> processing, attempts + 1, under a new lease of `leaseMs` for `owner`;
   * undefined when the job was no longer pending (another agent won the race).
   */
  claim(jobId: string, owner: string, leaseMs: number): Promise<Lease | undefined>;
  /**
   * Extends the lease by `leaseMs` from the database's now, when it is still held. A lease
   * stays held past its expiry until the reaper takes it back: a late renewal revives it.
   */
  renew(lease: Lease, leaseMs: number): Promise<Renewal>;
  /** Like complete(), only while the lease is held. */
  completeLeased(lease: Lease, result: JobResult, progress?: JobProgress): Promise<boolean>;
  /** Like fail(), only while the lease is held. */
  failLeased(lease: Lease, error: JobError): Promise<boolean>;
  /** Like requeue() (attempt kept), only while the lease is held. */
  requeueLeased(lease: Lease, reason: JobError): Promise<boolean>;
  /**
   * Back to pending with the attempt given back, progress kept, only while the lease is
   * held: a video that yielded, or a batch between its micro-batches.
   */
  releaseLeased(lease: Lease): Promise<boolean>;
  /** Progress of a leased run: written at once, only while the lease is held. */
  setProgressLeased(lease: Lease, progress: JobProgress): Promise<boolean>;
  /** A batch item's final state, only while the lease is held. */
  setBatchItemLeased(lease: Lease, item: BatchItemState): Promise<boolean>;
  /**
   * Jobs whose lease expired go back to pending (attempts kept) or fail once maxAttempts
   * are used; done by one process at a time (an advisory lock): another gets an empty report.
   */
  reapExpired(maxAttempts: number): Promise<RecoveryReport>;
  /** An agent's heartbeat: recorded with the database's time (inserted on the first). */
  heartbeatAgent(agent: Omit<AgentInfo, "heartbeatAt" | "startedAt">): Promise<void>;
  /** Agents heard from within `withinMs`, newest heartbeat first. */
  agents(withinMs: number): Promise<AgentInfo[]>;
  /** An agent that stops cleanly leaves the list. */
  removeAgent(id: string): Promise<void>;
}
