// Intake: requests become jobs. The input images are stored as PNG files, LoRA names
// resolved inside the LoRA folder, the engine plan built and the record written, while
// a place in the queue is held for the submission; the job then goes to the runner.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { invalidField, RequestError } from "../contract/errors.js";
import {
  FILE_FIELDS,
  type BatchRequest,
  type ImageRequest,
  type JobType,
  type RecordedRequest,
  type TransferRequest,
  type VideoRequest,
} from "../contract/requests.js";
import type { ArtifactStore } from "../artifacts/types.js";
import type { JobPlan } from "../engine/protocol.js";
import type { Dispatcher } from "../scheduler/types.js";
import {
  IdempotencyKeyTakenError,
  type IdempotencyClaim,
  type IdempotentSubmission,
} from "../store/idempotency-keys.js";
import type { BatchItemState, JobRecord, JobStore } from "../store/types.js";
import { continuedJob, storeContinuation, type FindJob } from "./continuation.js";
import { idempotencyClaim } from "./idempotency.js";
import { decodeBase64Image, decodeImage, type DecodedImage, type ImageLimits } from "./images.js";
import { resolveLoras } from "./loras.js";
import {
  controlFile,
  controlMaskFile,
  INPUT_FILES,
  keyframeFile,
  type InputField,
} from "./input-files.js";
import {
  batchPlan,
  checkOneFrameRequest,
  checkVideoRequest,
  controlIndex,
  imagePlan,
  transferPlan,
  videoPlan,
  type StoredControl,
} from "./plans.js";
import { refusalOf } from "./refusals.js";
import { pendingBatchItems, retryPlan } from "./retries.js";
import type { JobScope } from "./service.js";
import { checkWebhook, type WebhookPolicy } from "./webhook-policy.js";

type ControlImageRequest = NonNullable<ImageRequest["control_images"]>[number];

export interface Submitter {
  /** Hash of the API key used, null without auth. */
  apiKeyHash: string | null;
  /** Set for jobs made through the legacy FramePack-FastAPI routes. */
  legacyId?: string;
  /** The request's Idempotency-Key header (generation endpoints only). */
  idempotencyKey?: string;
  /**
   * Whose jobs the submission may name (`continue_from`); absent: its own key's, or
   * every job without keys.
   */
  scope?: JobScope;
}

export interface SubmissionOptions {
  store: JobStore;
  artifacts: ArtifactStore;
  /** Read for the queue's length, against the limits below. */
  dispatcher: Pick<Dispatcher, "size" | "countByKey">;
  logger: Logger;
  loraDir: string;
  imageLimits: ImageLimits;
  maxQueueLength: number;
  maxQueuePerKey: number;
  /** Which webhook URLs requests may give. */
  webhooks: WebhookPolicy;
  /** Takes each job once its record is written (the runner queues it). */
  accepted: (job: JobRecord) => void;
  /** Finds the job a video continues, by id or short id (JobService.find). */
  findJob: FindJob;
}

/** A request to make a job of: a new one, or a finished job's recorded one (a retry). */
type SubmittedRequest =
  ImageRequest | BatchRequest | TransferRequest | VideoRequest | RecordedRequest;

/** What a request turns into before its record is written. */
interface Draft {
  type: JobType;
  plan: JobPlan;
  batchItems: BatchItemState[] | null;
}

export class JobSubmissions {
  readonly #o: SubmissionOptions;
  /** Queue places held by submissions still storing their images, per API key hash. */
  readonly #reserved = new Map<string | null, number>();
  #reservedTotal = 0;
  /** Records handed back for a repeated Idempotency-Key (the route answers those 200). */
  readonly #replays = new WeakSet<JobRecord>();

  constructor(options: SubmissionOptions) {
    this.#o = options;
  }

  createImage(request: ImageRequest, by: Submitter): Promise<JobRecord> {
    return this.#create(request, by, "image", async (id) => {
      const { input, controls, loras } = await this.#oneFrameInputs(id, request);
      return { type: "image", plan: imagePlan(request, input, loras, controls), batchItems: null };
    });
  }

  createBatch(request: BatchRequest, by: Submitter): Promise<JobRecord> {
    return this.#create(request, by, "batch_image", async (id) => {
      const { input, controls, loras } = await this.#oneFrameInputs(id, request);
      const plan = batchPlan(request, input, loras, controls);
      return { type: "batch_image", plan, batchItems: pendingBatchItems(plan) };
    });
  }

  createTransfer(request: TransferRequest, by: Submitter): Promise<JobRecord> {
    return this.#create(request, by, "image_transfer", async (id) => {
      const [target, source, targetMask, sourceMask] = await allStored([
        this.#storeInput(id, "target_image", request.target_image),
        this.#storeInput(id, "source_image", request.source_image),
        this.#storeInput(id, "target_mask", request.target_mask),
        this.#storeInput(id, "source_mask", request.source_mask),
      ]);
      if (target === null || source === null) throw new Error("target and source are required");
      const loras = await resolveLoras(this.#o.loraDir, request.lora_paths, request.lora_scales);
      const plan = transferPlan(request, { target, source, targetMask, sourceMask }, loras);
      return { type: "image_transfer", plan, batchItems: null };
    });
  }

  /**
   * `image`: the start image's bytes when they did not come as base64 (the legacy form).
   * The job `continue_from` names is found first, and recorded by its whole id.
   */
  async createVideo(request: VideoRequest, by: Submitter, image?: Buffer): Promise<JobRecord> {
    checkVideoRequest(request);
    const earlier =
      request.continue_from === undefined
        ? null
        : await continuedJob(this.#o.findJob, request.continue_from, scopeOf(by));
    const recorded = earlier ? { ...request, continue_from: earlier.id } : request;
    return this.#create(recorded, by, "video", async (id) => {
      const keyframes = request.keyframes ?? [];
      const [input, end, ...keyframePaths] = await allStored([
        image
          ? this.#storeDecoded(id, "image", image, INPUT_FILES.image)
          : this.#storeInput(id, "image", request.image),
        this.#storeInput(id, "end_image", request.end_image),
        ...keyframes.map((keyframe, index) =>
          this.#storeImage(
            id,
            `keyframes[${index}].image`,
            keyframe.image,
            keyframeFile(index, keyframe.section),
          ),
        ),
      ]);
      const stored = keyframes.map((keyframe, index) => {
        const path = keyframePaths[index];
        if (!path) throw new Error("a keyframe was not stored");
        return { section: keyframe.section, path };
      });
      const { artifacts, imageLimits } = this.#o;
      const continuation = await storeContinuation(request, earlier, id, artifacts, imageLimits);
      const loras = await resolveLoras(this.#o.loraDir, request.lora_paths, request.lora_scales);
      const plan = videoPlan(request, input, loras, {
        end,
        keyframes: stored,
        ...(continuation ? { continuation } : {}),
      });
      return { type: "video", plan, batchItems: null };
    });
  }

  /**
   * A finished job's recorded request again, as a new job: every input file it stored
   * copied to the new job, its plan pointed at the copies, new seeds when asked.
   */
  retry(job: JobRecord, by: Submitter, newSeeds: boolean): Promise<JobRecord> {
    return this.#create(job.data, by, job.type, async (id) => {
      const paths = await this.#o.artifacts.copyInputs(job.id, id);
      const plan = retryPlan(job.plan, { paths, newSeeds });
      const batchItems = plan.kind === "batch" ? pendingBatchItems(plan) : null;
      return { type: job.type, plan, batchItems };
    });
  }

  /**
   * The stored input image (if any), control images (1f-mc) and the resolved LoRAs of a
   * one-frame request.
   */
  async #oneFrameInputs(id: string, request: ImageRequest | BatchRequest) {
    checkOneFrameRequest(request);
    const [input, ...controls] = await allStored([
      this.#storeInput(id, "input_image", request.input_image),
      ...(request.control_images ?? []).map((control, index) =>
        this.#storeControl(id, index, control),
      ),
    ]);
    const loras = await resolveLoras(this.#o.loraDir, request.lora_paths, request.lora_scales);
    return { input, controls: controls as StoredControl[], loras };
  }

  /**
   * A control image and its mask under their files (input-files.ts); the mask must
   * have its image's size (it is fitted to the output exactly like its image).
   */
  async #storeControl(id: string, index: number, control: ControlImageRequest) {
    const field = `control_images[${index}]`;
    const [image, mask] = await Promise.all([
      this.#decode(`${field}.image`, control.image),
      control.mask == null ? null : this.#decode(`${field}.mask`, control.mask),
    ]);
    if (mask && (mask.width !== image.width || mask.height !== image.height)) {
      throw invalidField(
        `${field}.mask`,
        `is ${mask.width}x${mask.height}, its image ${image.width}x${image.height}; give them one size`,
      );
    }
    const { artifacts } = this.#o;
    const [path, maskPath] = await allStored([
      artifacts.writeInput(id, controlFile(index), image.png),
      mask ? artifacts.writeInput(id, controlMaskFile(index), mask.png) : Promise.resolve(null),
    ]);
    return { path, maskPath } satisfies StoredControl;
  }

  async #create(
    request: SubmittedRequest,
    by: Submitter,
    type: JobType,
    build: (id: string) => Promise<Draft>,
  ): Promise<JobRecord> {
    checkWebhook(request.webhook, this.#o.webhooks);
    const claim =
      by.idempotencyKey === undefined
        ? undefined
        : idempotencyClaim(by.apiKeyHash, by.idempotencyKey, type, request);
    // A key seen before answers with its job at once, whatever the queue's room.
    const earlier = claim && (await this.#o.store.idempotentSubmission(claim.keyDigest));
    if (claim && earlier) return this.#replay(earlier, claim);
    const release = this.#reserveQueueRoom(by);
    try {
      const recorded = await this.#record(request, by, build, claim);
      if ("replay" in recorded) return recorded.replay;
      const job = recorded;
      this.#o.logger.info({ job: job.id, type: job.type, priority: job.priority }, "job queued");
      this.#o.accepted(job); // queued before its reserved place is given back
      return job;
    } finally {
      release();
    }
  }

  /**
   * The job an earlier submission with the same key made; a different request under the
   * same key is refused.
   */
  /** Whether `job` answered a repeated Idempotency-Key rather than being made just now. */
  isReplay(job: JobRecord): boolean {
    return this.#replays.has(job);
  }

  async #replay(earlier: IdempotentSubmission, claim: IdempotencyClaim): Promise<JobRecord> {
    if (earlier.bodyHash !== claim.bodyHash) {
      throw new RequestError(
        "idempotency_key_reused",
        "This Idempotency-Key was used for a different request within the last 24 hours; use a new key for a new request.",
      );
    }
    const job = await this.#o.store.get(earlier.jobId);
    // The claim goes with its job (ON DELETE CASCADE): a job removed just now.
    if (!job) throw new RequestError("not_found", `Job ${earlier.jobId} was removed.`);
    this.#replays.add(job);
    return job;
  }

  /**
   * Writes the job (and the claim of its idempotency key with it). A concurrent
   * submission with the same key that claimed it first wins: this one's files are
   * removed and its answer is that submission's job.
   */
  async #record(
    request: SubmittedRequest,
    by: Submitter,
    build: (id: string) => Promise<Draft>,
    claim: IdempotencyClaim | undefined,
  ): Promise<JobRecord | { replay: JobRecord }> {
    const id = randomUUID();
    try {
      const draft = await build(id);
      return await this.#o.store.insert({
        id,
        legacyId: by.legacyId ?? null,
        type: draft.type,
        data: withoutImages(request),
        plan: draft.plan,
        priority: request.priority,
        apiKeyHash: by.apiKeyHash,
        batchItems: draft.batchItems,
        ...(claim ? { idempotency: claim } : {}),
      });
    } catch (error) {
      // No record: the stored inputs would be orphans until retention's age limit.
      await this.#o.artifacts.removeJob(id);
      if (claim && error instanceof IdempotencyKeyTakenError) {
        return { replay: await this.#replay(error.existing, claim) };
      }
      throw refusalOf(error);
    }
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
    // Per key only: without API keys every job is "no key", and the whole queue would be
    // held to the per-key limit.
    if (by.apiKeyHash === null) return;
    const forKey = dispatcher.countByKey(by.apiKeyHash) + (this.#reserved.get(by.apiKeyHash) ?? 0);
    if (forKey >= maxQueuePerKey) {
      throw new RequestError(
        "too_many_jobs",
        `This key already has ${maxQueuePerKey} jobs waiting; wait for some to finish.`,
      );
    }
  }

  /** An image field of the request, stored under its field's file (INPUT_FILES). */
  #storeInput(id: string, field: InputField, text: string | undefined): Promise<string | null> {
    return this.#storeImage(id, field, text, INPUT_FILES[field]);
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

  #decode(field: string, text: string): Promise<DecodedImage> {
    const { imageLimits } = this.#o;
    return decodeImage(field, decodeBase64Image(field, text, imageLimits), imageLimits);
  }
}

/** Whose jobs a submitter may name: as given, else its own key's, or all without keys. */
function scopeOf(by: Submitter): JobScope {
  if (by.scope) return by.scope;
  return by.apiKeyHash === null ? "all" : { apiKeyHash: by.apiKeyHash };
}

/**
 * The request as recorded: uploaded files (images, a video to continue) are stored as
 * files, not kept in the record; a video's keyframes keep their sections, control images
 * their indices and whether a mask came.
 */
function withoutImages(request: object): RecordedRequest {
  const imageFields = new Set<string>(FILE_FIELDS);
  return Object.fromEntries(
    Object.entries(request)
      .filter(([key]) => !imageFields.has(key))
      .map(([key, value]) => {
        if (!Array.isArray(value)) return [key, value];
        if (key === "keyframes") {
          return [
            key,
            value.map((keyframe: { section: number }) => ({ section: keyframe.section })),
          ];
        }
        if (key === "control_images") {
          return [
            key,
            value.map((control: ControlImageRequest) => ({
              index: controlIndex(control),
              mask: control.mask != null,
            })),
          ];
        }
        return [key, value];
      }),
  ) as RecordedRequest;
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
