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

/** What the runner and intake need; intake is told of accepted jobs by the service. */
export type JobServiceOptions = RunnerOptions & Omit<SubmissionOptions, "accepted">;

export class JobService {
  readonly #store: JobStore;
  readonly #runner: JobRunner;
  readonly #submissions: JobSubmissions;

  constructor(options: JobServiceOptions) {
    this.#store = options.store;
    this.#runner = new JobRunner(options);
    this.#submissions = new JobSubmissions({
      ...options,
      accepted: (job) => {
        this.#runner.accept(job);
      },
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

  // Reads and changes take the caller's scope (routes pass the request's); a job outside
  // it is not found. Without one they cover every job, for the service's own callers.

  async get(id: string, scope: JobScope = "all"): Promise<JobRecord | undefined> {
    return ifInScope(await this.#store.get(id), scope);
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

  /** Pending: removed at once. Processing: the engine stops within one step. Terminal: 409. */
  async cancel(id: string, scope: JobScope = "all"): Promise<JobRecord> {
    const job = await this.get(id, scope);
    if (!job) throw new RequestError("not_found", `No job ${id}.`);
    if (TERMINAL_STATUSES.includes(job.status)) {
      throw new RequestError("job_finished", `Job ${id} is already ${job.status}.`);
    }
    await this.#runner.cancel(id);
    const after = await this.get(id, scope);
    if (!after) throw new RequestError("not_found", `No job ${id}.`);
    return after;
  }

  /**
   * Calls `listener` with each job once it is terminal, after its record and files are
   * final (the legacy /video_stream announces a video only then). Returns an unsubscribe.
   */
  onFinished(listener: (job: JobRecord) => void): () => void {
    return this.#runner.onFinished(listener);
  }
}
