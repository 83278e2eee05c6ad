// The one service every route goes through: requests become jobs (images stored,
// plans built, records written, work queued), free engines pull work in the
// scheduler's order, and every change is recorded and published to live clients.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { withDefaults } from "../contract/defaults.js";
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  TransferImageRequest,
} from "../contract/requests.js";
import type { ArtifactStore } from "../artifacts/types.js";
import {
  EngineExitedError,
  EngineJobError,
  EngineTimeoutError,
  JobCancelledError,
} from "../engine/errors.js";
import type { EnginePool } from "../engine/pool.js";
import type { ItemResultEvent, Plan, ProgressEvent, ResultEvent } from "../engine/protocol.js";
import type { Dispatcher, EngineLoadout, QueueEntry } from "../scheduler/types.js";
import type { JobErrorCode } from "../contract/error-codes.js";
import {
  TERMINAL_STATUSES,
  type BatchItemState,
  type JobError,
  type JobOutput,
  type JobPage,
  type JobQuery,
  type JobResult,
  type JobRecord,
  type JobStore,
  type JobType,
} from "../store/types.js";
import {
  batchOutputs,
  batchProgress,
  entryIdOf,
  nextRunPlan,
  pendingItems,
} from "./batch-chunks.js";
import { isDiskFull, RequestError, storageFull } from "../contract/errors.js";
import type { JobEventHub } from "./events.js";
import { decodeBase64Image, decodeImage, type ImageLimits } from "./images.js";
import { resolveLoras } from "./loras.js";
import { batchPlan, imagePlan, transferPlan, videoPlan } from "./plans.js";

export interface JobServiceOptions {
  store: JobStore;
  dispatcher: Dispatcher;
  pool: EnginePool;
  artifacts: ArtifactStore;
  events: JobEventHub;
  logger: Logger;
  loraDir: string;
  imageLimits: ImageLimits;
  /** Attempts before a job whose engine keeps dying fails for good. */
  maxAttempts: number;
  maxQueueLength: number;
  maxQueuePerKey: number;
}

export interface Submitter {
  /** Hash of the API key used, null without auth. */
  apiKeyHash: string | null;
  /** Set for jobs made through the legacy FramePack-FastAPI routes. */
  legacyId?: string;
}

interface Draft {
  type: JobType;
  data: Record<string, unknown>;
  plan: Record<string, unknown>;
  priority: number;
  batchItems: BatchItemState[] | null;
}

const PROGRESS_EVENTS_PER_SECOND = 4;

export class JobService {
  readonly #o: JobServiceOptions;
  readonly #previews = new Map<string, string>();
  readonly #lastProgressEvent = new Map<string, number>();
  /** The queue entry of each waiting job. */
  readonly #queued = new Map<string, string>();
  /** What each engine ran last, for the scheduler's affinity. */
  readonly #loadouts = new Map<string, EngineLoadout>();
  readonly #finishedListeners = new Set<(job: JobRecord) => void>();
  /** Queue places held by submissions still storing their images, per API key hash. */
  readonly #reserved = new Map<string | null, number>();
  #reservedTotal = 0;
  /** Set by stop(): no job starts, and runs the stop breaks are left to the store's requeue. */
  #stopping = false;

  constructor(options: JobServiceOptions) {
    this.#o = options;
  }

  /** Recovers jobs a crash left running, queues every pending job and starts pulling work. */
  async start(): Promise<void> {
    const report = await this.#o.store.recoverInterrupted(this.#o.maxAttempts);
    if (report.requeued.length || report.failed.length) {
      this.#o.logger.warn(report, "recovered jobs interrupted by a restart");
    }
    // A job given up on never runs again: nothing else would clear its killed engine's temp files.
    await Promise.all(report.failed.map((id) => this.#o.artifacts.removePartialOutputs(id)));
    for (const job of await this.#o.store.pending()) this.#enqueue(job);
    this.#o.pool.on("idle", () => {
      this.#pump();
    });
    this.#pump();
  }

  /**
   * Before the engines go down at a graceful stop: starts no further job, and leaves the
   * runs the stop breaks (cancelled, or their engine killed) as they are, for
   * `store.requeueStopped()` to give back without costing them an attempt.
   */
  stop(): void {
    this.#stopping = true;
  }

  // -- creating jobs -------------------------------------------------------------
  // Requests enter here: validated, and given their schema's defaults (withDefaults) so
  // the plans and the recorded data see every defaulted field.

  createImage(body: GenerateImageRequest, by: Submitter): Promise<JobRecord> {
    const request = withDefaults(GenerateImageRequest, body);
    return this.#create(
      by,
      request.priority,
      async (id) => {
        const { input, loras } = await this.#oneFrameInputs(id, request);
        return { type: "image", plan: imagePlan(request, input, loras), batchItems: null };
      },
      request,
    );
  }

  createBatch(body: BatchImagesRequest, by: Submitter): Promise<JobRecord> {
    const request = withDefaults(BatchImagesRequest, body);
    return this.#create(
      by,
      request.priority,
      async (id) => {
        const { input, loras } = await this.#oneFrameInputs(id, request);
        const plan = batchPlan(request, input, loras);
        const items = plan.items.map((item, index) => ({
          index,
          prompt: item.prompt,
          seed: item.seed,
          status: "pending" as const,
          key: null,
          error: null,
        }));
        return { type: "batch_image", plan, batchItems: items };
      },
      request,
    );
  }

  createTransfer(body: TransferImageRequest, by: Submitter): Promise<JobRecord> {
    const request = withDefaults(TransferImageRequest, body);
    return this.#create(
      by,
      request.priority,
      async (id) => {
        const [target, source, targetMask, sourceMask] = await allStored([
          this.#storeImage(id, "target_image", request.target_image, "target.png"),
          this.#storeImage(id, "source_image", request.source_image, "source.png"),
          this.#storeImage(id, "target_mask", request.target_mask, "target-mask.png"),
          this.#storeImage(id, "source_mask", request.source_mask, "source-mask.png"),
        ]);
        if (target === null || source === null) throw new Error("target and source are required");
        const loras = await resolveLoras(this.#o.loraDir, request.lora_paths, request.lora_scales);
        const plan = transferPlan(request, { target, source, targetMask, sourceMask }, loras);
        return { type: "image_transfer", plan, batchItems: null };
      },
      request,
    );
  }

  createVideo(body: GenerateVideoRequest, by: Submitter, image?: Buffer): Promise<JobRecord> {
    const request = withDefaults(GenerateVideoRequest, body);
    return this.#create(
      by,
      request.priority,
      async (id) => {
        const input = image
          ? await this.#storeDecoded(id, "image", image, "input.png")
          : await this.#storeImage(id, "image", request.image, "input.png");
        if (input === null) throw new Error("image is required");
        const loras = await resolveLoras(this.#o.loraDir, request.lora_paths, request.lora_scales);
        return { type: "video", plan: videoPlan(request, input, loras), batchItems: null };
      },
      request,
    );
  }

  /** The stored input image (if any) and the resolved LoRAs of a one-frame request. */
  async #oneFrameInputs(id: string, request: GenerateImageRequest | BatchImagesRequest) {
    const input = await this.#storeImage(id, "input_image", request.input_image, "input.png");
    const loras = await resolveLoras(this.#o.loraDir, request.lora_paths, request.lora_scales);
    return { input, loras };
  }

  async #create(
    by: Submitter,
    priority: number | undefined,
    build: (id: string) => Promise<Omit<Draft, "data" | "priority">>,
    request: object,
  ): Promise<JobRecord> {
    const release = this.#reserveQueueRoom(by);
    try {
      return await this.#record(by, priority, build, request);
    } finally {
      release();
    }
  }

  async #record(
    by: Submitter,
    priority: number | undefined,
    build: (id: string) => Promise<Omit<Draft, "data" | "priority">>,
    request: object,
  ): Promise<JobRecord> {
    const id = randomUUID();
    let job: JobRecord;
    try {
      const draft = await build(id);
      job = await this.#o.store.insert({
        id,
        legacyId: by.legacyId ?? null,
        type: draft.type,
        data: withoutImages(request),
        plan: draft.plan,
        priority: priority ?? 0,
        apiKeyHash: by.apiKeyHash,
        batchItems: draft.batchItems,
      });
    } catch (error) {
      // No record: the stored inputs would be orphans that retention never finds.
      await this.#o.artifacts.removeJob(id);
      throw isDiskFull(error) ? storageFull() : error;
    }
    this.#enqueue(job);
    this.#o.logger.info({ job: job.id, type: job.type, priority: job.priority }, "job queued");
    this.#o.events.publish(job.id, "status", { status: job.status });
    this.#pump();
    return job;
  }

  /**
   * Holds a queue place for a submission while its images are stored and its record
   * written (awaited work), so that concurrent submissions cannot together overfill the
   * queue. The returned function gives the place back; by then the job is queued.
   */
  #reserveQueueRoom(by: Submitter): () => void {
    this.#checkQueueRoom(by);
    const key = by.apiKeyHash;
    this.#reservedTotal++;
    this.#reserved.set(key, (this.#reserved.get(key) ?? 0) + 1);
    return () => {
      this.#reservedTotal--;
      const left = (this.#reserved.get(key) ?? 1) - 1;
      if (left === 0) this.#reserved.delete(key);
      else this.#reserved.set(key, left);
    };
  }

  #checkQueueRoom(by: Submitter): void {
    const { dispatcher, maxQueueLength, maxQueuePerKey } = this.#o;
    if (dispatcher.size() + this.#reservedTotal >= maxQueueLength) {
      throw new RequestError("queue_full", "The queue is full; try again later.");
    }
    const forKey = dispatcher.countByKey(by.apiKeyHash) + (this.#reserved.get(by.apiKeyHash) ?? 0);
    if (forKey >= maxQueuePerKey) {
      throw new RequestError(
        "too_many_jobs",
        `This key already has ${maxQueuePerKey} jobs waiting; wait for some to finish.`,
      );
    }
  }

  async #storeImage(
    id: string,
    field: string,
    text: string | undefined,
    name: string,
  ): Promise<string | null> {
    if (text === undefined) return null;
    return this.#storeDecoded(id, field, decodeBase64Image(field, text, this.#o.imageLimits), name);
  }

  async #storeDecoded(id: string, field: string, bytes: Buffer, name: string): Promise<string> {
    const image = await decodeImage(field, bytes, this.#o.imageLimits);
    return this.#o.artifacts.writeInput(id, name, image.png);
  }

  // -- reading and cancelling ------------------------------------------------------

  async get(id: string): Promise<JobRecord | undefined> {
    return this.#o.store.get(id);
  }

  async getByLegacyId(legacyId: string): Promise<JobRecord | undefined> {
    return this.#o.store.getByLegacyId(legacyId);
  }

  list(query: JobQuery): Promise<JobPage> {
    return this.#o.store.list(query);
  }

  preview(id: string): string | null {
    return this.#previews.get(id) ?? null;
  }

  /** Position of a waiting job (a batch also waits between its micro-batches). */
  queuePosition(job: JobRecord): number | null {
    const entryId = this.#queued.get(job.id);
    if (entryId === undefined) return null;
    return this.#o.dispatcher.position(entryId, Date.now()) ?? null;
  }

  /** Pending: removed at once. Processing: the engine stops within one step. Terminal: 409. */
  async cancel(id: string): Promise<JobRecord> {
    const job = await this.#o.store.get(id);
    if (!job) throw new RequestError("not_found", `No job ${id}.`);
    if (TERMINAL_STATUSES.includes(job.status)) {
      throw new RequestError("job_finished", `Job ${id} is already ${job.status}.`);
    }
    this.#o.dispatcher.remove(this.#queued.get(id) ?? id);
    this.#queued.delete(id);
    if (await this.#o.store.cancel(id)) {
      this.#o.pool.cancel(id);
      await this.#finished(id);
    }
    const after = await this.#o.store.get(id);
    if (!after) throw new RequestError("not_found", `No job ${id}.`);
    return after;
  }

  /**
   * Calls `listener` with each job once it is terminal, after its record and files are
   * final (the legacy /video_stream announces a video only then). Returns an unsubscribe.
   */
  onFinished(listener: (job: JobRecord) => void): () => void {
    this.#finishedListeners.add(listener);
    return () => {
      this.#finishedListeners.delete(listener);
    };
  }

  // -- running -----------------------------------------------------------------------

  #enqueue(job: JobRecord): void {
    const entry: QueueEntry = {
      id: entryIdOf(job),
      jobId: job.id,
      type: job.type,
      priority: job.priority,
      enqueuedAt: Date.parse(job.createdAt),
      apiKeyHash: job.apiKeyHash,
      affinity: loadoutOf(job.plan),
    };
    this.#o.dispatcher.enqueue(entry);
    this.#queued.set(job.id, entry.id);
  }

  #pump(): void {
    if (this.#stopping) return;
    const { pool, dispatcher } = this.#o;
    for (const slotId of pool.idleSlotIds()) {
      const entry = dispatcher.next(
        { id: slotId, loadout: this.#loadouts.get(slotId) ?? null },
        Date.now(),
      );
      if (!entry) return;
      this.#queued.delete(entry.jobId);
      pool.claim(slotId, entry.jobId);
      this.#loadouts.set(slotId, entry.affinity);
      this.#run(slotId, entry.jobId).catch((error: unknown) => {
        this.#o.logger.error({ job: entry.jobId, err: error }, "running the job failed");
      });
    }
  }

  /** Starts a pending job, or continues a batch between its micro-batches. */
  async #begin(jobId: string): Promise<JobRecord | undefined> {
    const { store, events } = this.#o;
    const job = await store.get(jobId);
    if (job?.status === "processing") return job; // the next micro-batch of a batch
    if (job?.status !== "pending" || !(await store.start(jobId))) return undefined;
    events.publish(jobId, "status", { status: "processing" });
    return store.get(jobId);
  }

  async #run(slotId: string, jobId: string): Promise<void> {
    const { store, pool, artifacts, logger } = this.#o;
    let job: JobRecord | undefined;
    let outputDir: string;
    try {
      job = await this.#begin(jobId);
      outputDir = job ? await artifacts.outputDir(jobId) : "";
      // An earlier attempt's engine may have died mid-write.
      if (job) await artifacts.removePartialOutputs(jobId);
    } catch (error) {
      pool.release(slotId, jobId);
      await store.fail(jobId, describeFailure(error));
      await this.#finished(jobId);
      return;
    }
    if (!job) {
      pool.release(slotId, jobId); // cancelled while it waited
      return;
    }
    const plan = { ...nextRunPlan(job), output_dir: outputDir } as unknown as Plan;
    try {
      const result = await pool.run(slotId, jobId, plan, {
        onProgress: (event) => {
          this.#onProgress(job, event);
        },
        onItemResult: (event) => {
          this.#onItem(job, event);
        },
      });
      await this.#failUnreported(jobId, plan);
      if (await this.#continueBatch(jobId)) return;
      await store.complete(jobId, await this.#finalResult(jobId, result));
    } catch (error) {
      await this.#onRunError(job, error);
    } finally {
      logger.info({ job: jobId, engine: slotId }, "engine run ended");
    }
    await this.#finished(jobId);
  }

  /** Items of a finished run the engine said nothing about fail, so a batch cannot loop. */
  async #failUnreported(jobId: string, plan: Plan): Promise<void> {
    if (plan.kind !== "batch") return;
    const job = await this.#o.store.get(jobId);
    const ran = new Set(plan.items.map((item) => item.index));
    for (const item of job ? pendingItems(job) : []) {
      if (!ran.has(item.index)) continue;
      const failed = { ...item, status: "failed" as const, error: "the engine reported no result" };
      this.#o.store.setBatchItem(jobId, failed);
      this.#o.events.publish(jobId, "item", failed);
    }
  }

  /** Requeues a batch with items left; true when it did. */
  async #continueBatch(jobId: string): Promise<boolean> {
    const job = await this.#o.store.get(jobId);
    if (job?.type !== "batch_image" || job.status !== "processing") return false;
    if (pendingItems(job).length === 0) return false;
    this.#enqueue(job);
    this.#pump();
    return true;
  }

  async #finalResult(jobId: string, result: ResultEvent): Promise<JobResult> {
    const job = await this.#o.store.get(jobId);
    if (job?.type !== "batch_image") {
      return { outputs: this.#outputs(jobId, result), metadata: result.metadata };
    }
    const items = job.batchItems ?? [];
    const metadata = {
      items: items.map(({ index, seed, status, error }) => ({ index, seed, status, error })),
    };
    return { outputs: batchOutputs(job), metadata };
  }

  #outputs(jobId: string, result: ResultEvent): JobOutput[] {
    return result.files.flatMap((file) => {
      const key = this.#o.artifacts.keyOf(jobId, file.path);
      if (!key || file.kind === "preview") return [];
      return [
        {
          key,
          kind: file.kind,
          seed: file.seed ?? 0,
          width: file.width ?? 0,
          height: file.height ?? 0,
          ...(file.index === undefined ? {} : { index: file.index }),
          ...(file.frames === undefined ? {} : { frames: file.frames, fps: file.fps ?? 30 }),
        },
      ];
    });
  }

  async #onRunError(job: JobRecord, error: unknown): Promise<void> {
    // A cancel() recorded it; a stop leaves it to the store's requeue.
    if (error instanceof JobCancelledError || this.#stopping) return;
    const reason = describeFailure(error);
    const retriable = isRetriable(error);
    this.#o.logger.warn({ job: job.id, code: reason.code, retriable }, reason.message);
    const current = await this.#o.store.get(job.id);
    if (retriable && current && current.attempts < this.#o.maxAttempts) {
      if (await this.#o.store.requeue(job.id, reason)) {
        this.#enqueue(current);
        this.#o.events.publish(job.id, "status", { status: "pending", retry: reason });
      }
      return;
    }
    await this.#o.store.fail(job.id, reason);
  }

  #onProgress(job: JobRecord, event: ProgressEvent): void {
    const jobId = job.id;
    const fraction = event.total > 0 ? event.step / event.total : 0;
    const progress = {
      progress: job.type === "batch_image" ? batchProgress(job, fraction) : fraction,
      step: event.step,
      total: event.total,
      info: event.info,
      phase: event.phase,
    };
    this.#o.store.setProgress(jobId, progress);
    if (event.preview) {
      this.#previews.set(jobId, event.preview);
      this.#o.events.publish(jobId, "preview", { preview: event.preview });
    }
    const now = Date.now();
    const last = this.#lastProgressEvent.get(jobId) ?? 0;
    if (now - last >= 1000 / PROGRESS_EVENTS_PER_SECOND || event.step === event.total) {
      this.#lastProgressEvent.set(jobId, now);
      this.#o.events.publish(jobId, "progress", progress);
    }
  }

  #onItem(job: JobRecord, event: ItemResultEvent): void {
    const before = job.batchItems?.[event.index];
    if (!before) return;
    const key = event.file ? (this.#o.artifacts.keyOf(job.id, event.file.path) ?? null) : null;
    const item: BatchItemState = {
      ...before,
      status: event.status,
      key,
      error: event.error ?? null,
    };
    this.#o.store.setBatchItem(job.id, item);
    this.#o.events.publish(job.id, "item", item);
  }

  /** Publishes a terminal state once the record says so. */
  async #finished(jobId: string): Promise<void> {
    const job = await this.#o.store.get(jobId);
    if (!job || !TERMINAL_STATUSES.includes(job.status)) return;
    // A cancelled run reports its end after cancel() did: announce it once.
    if (this.#o.events.since(jobId, 0).at(-1)?.name === "done") return;
    this.#lastProgressEvent.delete(jobId);
    this.#previews.delete(jobId);
    this.#o.logger.info({ job: jobId, status: job.status, attempts: job.attempts }, "job finished");
    this.#o.events.publish(jobId, "status", { status: job.status });
    this.#o.events.publish(jobId, "done", { status: job.status });
    for (const listener of this.#finishedListeners) {
      try {
        listener(job);
      } catch (error) {
        this.#o.logger.warn({ job: jobId, err: error }, "a finished-job listener failed");
      }
    }
    // After the announcement (no await may come between the "done" check and it).
    await this.#o.artifacts.removePartialOutputs(jobId);
  }
}

function loadoutOf(plan: Record<string, unknown>): EngineLoadout {
  const loras = (plan.loras as { path: string; scale: number }[] | undefined) ?? [];
  return {
    transformer: plan.transformer === "f1" ? "f1" : "base",
    loras: loras.map((lora) => `${lora.path}:${String(lora.scale)}`).join("|"),
  };
}

function isRetriable(error: unknown): boolean {
  if (error instanceof EngineJobError) return error.retriable;
  return error instanceof EngineExitedError || error instanceof EngineTimeoutError;
}

function describeFailure(error: unknown): JobError & { code: JobErrorCode } {
  if (error instanceof EngineJobError) return { code: error.code, message: error.message };
  if (error instanceof EngineExitedError) {
    return { code: "engine_crashed", message: error.message.split("\n")[0] ?? "engine crashed" };
  }
  if (error instanceof EngineTimeoutError)
    return { code: "engine_timeout", message: error.message };
  if (isDiskFull(error)) {
    return { code: "disk_full", message: `no space left on device: ${(error as Error).message}` };
  }
  return {
    code: "internal_error",
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The request as recorded: images are stored as files, not kept in the record. */
function withoutImages(request: object): Record<string, unknown> {
  const imageFields = new Set([
    "input_image",
    "image",
    "source_image",
    "target_image",
    "source_mask",
    "target_mask",
  ]);
  return Object.fromEntries(Object.entries(request).filter(([key]) => !imageFields.has(key)));
}

/**
 * Promise.all for images being stored, except that it waits for every write before it
 * rejects: a write still running when the job's files are removed would bring them back.
 */
async function allStored<T extends readonly unknown[]>(writes: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(writes);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
