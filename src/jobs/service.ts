// The one service every route goes through, in front of three parts: intake
// (submissions.ts: requests become recorded, queued jobs), running (runner.ts: free
// engines pull work, results and retries are recorded) and the store's queries.
import { RequestError } from "../contract/errors.js";
import {
  TERMINAL_STATUSES,
  type BatchRequest,
  type ImageRequest,
  type TransferRequest,
  type VideoRequest,
} from "../contract/requests.js";
import type { JobPage, JobQuery, JobRecord, JobStore } from "../store/types.js";
import type { JobQueue } from "./queue.js";
import { JobRunner, type RunnerOptions } from "./runner.js";
import { JobSubmissions, type SubmissionOptions, type Submitter } from "./submissions.js";

export type { Submitter } from "./submissions.js";

/**
 * Whose jobs a caller may see and act on (docs/api.md §8): every job (an admin key, or
 * a service without keys), or only the jobs its own API key submitted, by key hash.
 * A job out of scope is answered as one that does not exist.
 */
export type JobScope = "all" | { readonly apiKeyHash: string };

/** Whether `scope` covers `job`. */
export function inScope(job: JobRecord, scope: JobScope): boolean {
  return scope === "all" || job.apiKeyHash === scope.apiKeyHash;
}

const ifInScope = (job: JobRecord | undefined, scope: JobScope) =>
  job && inScope(job, scope) ? job : undefined;

/** Shortest start of a job id that names it (docs/api.md §4): what files and cards show. */
export const SHORT_ID_LENGTH = 8;
/** A start of a UUID at least SHORT_ID_LENGTH long: 8 hex digits, then hex digits and "-". */
const ID_PREFIX = /^[0-9a-f]{8}[0-9a-f-]{0,28}$/i;

/** GET /api/queue (docs/api.md §6). */
export interface QueueState {
  paused: boolean;
  /** Jobs waiting to start (a batch between its micro-batches included). */
  pending: number;
  /** Ids of the jobs running now. */
  running: string[];
}

/**
 * What the runner and intake need; intake is told of accepted jobs by the service.
 * `queue`: what runs the jobs, when not this process's runner (cluster mode's replicas).
 */
export type JobServiceOptions = RunnerOptions &
  Omit<SubmissionOptions, "accepted" | "findJob"> & { queue?: JobQueue };

export class JobService {
  readonly #store: JobStore;
  readonly #runner: JobQueue;
  readonly #submissions: JobSubmissions;
  readonly #o: JobServiceOptions;

  constructor(options: JobServiceOptions) {
    this.#o = options;
    this.#store = options.store;
    this.#runner = options.queue ?? new JobRunner(options);
    this.#submissions = new JobSubmissions({
      ...options,
      accepted: (job) => {
        this.#runner.accept(job);
      },
      findJob: (id, scope) => this.find(id, scope),
    });
  }

  /** Recovers jobs a crash left running, queues every pending job and starts pulling work. */
  start(): Promise<void> {
    return this.#runner.start();
  }

  /** At a graceful stop, before the engines go down: see JobRunner.stop. */
  stop(): void {
    this.#runner.stop();
  }

  // Requests arrive validated with every default present (see src/contract/requests.ts).

  createImage(request: ImageRequest, by: Submitter): Promise<JobRecord> {
    return this.#submissions.createImage(request, by);
  }

  createBatch(request: BatchRequest, by: Submitter): Promise<JobRecord> {
    return this.#submissions.createBatch(request, by);
  }

  createTransfer(request: TransferRequest, by: Submitter): Promise<JobRecord> {
    return this.#submissions.createTransfer(request, by);
  }

  createVideo(request: VideoRequest, by: Submitter, image?: Buffer): Promise<JobRecord> {
    return this.#submissions.createVideo(request, by, image);
  }

  /** Whether `job` answered a repeated Idempotency-Key rather than being made just now. */
  isReplay(job: JobRecord): boolean {
    return this.#submissions.isReplay(job);
  }

  // Reads and changes take the caller's scope (routes pass the request's); a job outside
  // it is not found. Without one they cover every job, for the service's own callers.

  async get(id: string, scope: JobScope = "all"): Promise<JobRecord | undefined> {
    return ifInScope(await this.#store.get(id), scope);
  }

  /**
   * A job by its id, or by the start of its id (at least SHORT_ID_LENGTH hex digits)
   * when that names exactly one job in scope; a start that names several is refused
   * with `ambiguous_id`. Jobs out of scope never match, so they cannot make a start
   * ambiguous either.
   */
  async find(idOrPrefix: string, scope: JobScope = "all"): Promise<JobRecord | undefined> {
    const exact = await this.get(idOrPrefix, scope);
    if (exact || !ID_PREFIX.test(idOrPrefix)) return exact;
    const matches = await this.#store.byIdPrefix(
      idOrPrefix.toLowerCase(),
      2,
      scope === "all" ? undefined : scope.apiKeyHash,
    );
    if (matches.length > 1) {
      throw new RequestError(
        "ambiguous_id",
        `${idOrPrefix} is the start of more than one job's id; give more of it, or the whole id.`,
      );
    }
    return matches[0];
  }

  async getByLegacyId(legacyId: string, scope: JobScope = "all"): Promise<JobRecord | undefined> {
    return ifInScope(await this.#store.getByLegacyId(legacyId), scope);
  }

  list(query: JobQuery, scope: JobScope = "all"): Promise<JobPage> {
    return this.#store.list(scope === "all" ? query : { ...query, apiKeyHash: scope.apiKeyHash });
  }

  preview(id: string): string | null {
    return this.#runner.preview(id);
  }

  queuePosition(job: JobRecord): number | null {
    return this.#runner.queuePosition(job);
  }

  /**
   * Pending: removed at once. Processing: the engine stops within one step. Terminal: 409.
   * `id` may be the start of an id, as for find().
   */
  async cancel(idOrPrefix: string, scope: JobScope = "all"): Promise<JobRecord> {
    const job = await this.find(idOrPrefix, scope);
    if (!job) throw notFound(idOrPrefix);
    if (TERMINAL_STATUSES.includes(job.status)) {
      throw new RequestError("job_finished", `Job ${job.id} is already ${job.status}.`);
    }
    await this.#runner.cancel(job.id);
    const after = await this.get(job.id, scope);
    if (!after) throw notFound(job.id);
    return after;
  }

  /** Whether the queue is paused (docs/api.md §6): nothing new starts. */
  get paused(): boolean {
    return this.#runner.paused;
  }

  /** Pauses or resumes the queue; the state survives a restart. */
  setPaused(paused: boolean): Promise<void> {
    return this.#runner.setPaused(paused);
  }

  /** The queue as `scope` sees it: paused, its waiting jobs, its running jobs' ids. */
  async queue(scope: JobScope = "all"): Promise<QueueState> {
    const { dispatcher } = this.#o;
    const running = await this.list({ status: "processing", limit: 200 }, scope);
    return {
      paused: this.paused,
      pending: scope === "all" ? dispatcher.size() : dispatcher.countByKey(scope.apiKeyHash),
      running: running.jobs.map((job) => job.id),
    };
  }

  /** A pending job's new priority; `job_not_pending` once it started or finished. */
  async setPriority(idOrPrefix: string, priority: number, scope: JobScope = "all") {
    const job = await this.#found(idOrPrefix, scope);
    if (!(await this.#runner.setPriority(job, priority))) {
      throw new RequestError(
        "job_not_pending",
        `Job ${job.id} is ${(await this.get(job.id))?.status ?? "gone"}; only a pending job's priority can change.`,
      );
    }
    return this.#found(job.id, scope);
  }

  /**
   * A finished job's recorded request submitted again as a new job of `by`, reusing every
   * input file it stored; new seeds when `newSeeds`.
   */
  async retry(idOrPrefix: string, by: Submitter, newSeeds: boolean, scope: JobScope = "all") {
    const job = this.#finishedOnly(await this.#found(idOrPrefix, scope), "retried");
    return this.#submissions.retry(job, by, newSeeds);
  }

  /** Removes a finished job's files and record; `job_not_finished` while it is active. */
  async delete(idOrPrefix: string, scope: JobScope = "all"): Promise<void> {
    const job = this.#finishedOnly(await this.#found(idOrPrefix, scope), "deleted");
    // Files first, as retention does: a record never outlives its files' removal unnoticed.
    await this.#o.artifacts.removeJob(job.id);
    await this.#store.removeFinished(job.id);
    this.#o.logger.info({ job: job.id }, "job deleted");
  }

  /**
   * The job's record once it is finished, or undefined when it is not within `timeoutMs`
   * (a `Prefer: wait` submission).
   */
  waitUntilFinished(jobId: string, timeoutMs: number): Promise<JobRecord | undefined> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (job: JobRecord | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        resolve(job);
      };
      const unsubscribe = this.onFinished((job) => {
        if (job.id === jobId) settle(job);
      });
      const timer = setTimeout(() => {
        settle(undefined);
      }, timeoutMs);
      // It may have finished before the listener was added.
      this.get(jobId).then(
        (job) => {
          if (job && TERMINAL_STATUSES.includes(job.status)) settle(job);
        },
        () => {
          // The store cannot read now: the listener or the timer settles.
        },
      );
    });
  }

  async #found(idOrPrefix: string, scope: JobScope): Promise<JobRecord> {
    const job = await this.find(idOrPrefix, scope);
    if (!job) throw notFound(idOrPrefix);
    return job;
  }

  #finishedOnly(job: JobRecord, action: string): JobRecord {
    if (TERMINAL_STATUSES.includes(job.status)) return job;
    throw new RequestError(
      "job_not_finished",
      `Job ${job.id} is ${job.status}; only a finished job can be ${action} (cancel it first).`,
    );
  }

  /**
   * Calls `listener` with each job once it is terminal, after its record and files are
   * final (the legacy /video_stream announces a video only then). Returns an unsubscribe.
   */
  onFinished(listener: (job: JobRecord) => void): () => void {
    return this.#runner.onFinished(listener);
  }
}

/** The refusal of an id that names no job in scope; a start too short to be one is told so. */
export function notFound(id: string): RequestError {
  const tooShort = /^[0-9a-f-]{1,7}$/i.test(id);
  return new RequestError(
    "not_found",
    tooShort
      ? `No job ${id}: give the whole id or at least its first ${SHORT_ID_LENGTH} characters.`
      : `No job ${id}.`,
  );
}
