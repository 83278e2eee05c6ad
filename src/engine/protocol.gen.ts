/* Generated from protocol/schema.json by scripts/protocol-types.mjs. Do not edit. */

/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ProtocolVersion".
 */
export type ProtocolVersion = 1;
/**
 * Opaque job identifier chosen by the control plane.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "JobId".
 */
export type JobId = string;
/**
 * Absolute path on the engine's host, inside the job's work directory.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "FilePath".
 */
export type FilePath = string;
/**
 * Pixels; a multiple of 16 (VAE /8, patch /2).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Dimension".
 */
export type Dimension = number;
/**
 * A fully specified unit of work; the kind selects the pipeline.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Plan".
 */
export type Plan = {
  kind: PlanKind;
} & Plan1;
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "PlanKind".
 */
export type PlanKind = "probe" | "image" | "batch" | "transfer" | "video";
export type Plan1 = ProbePlan | ImagePlan | BatchPlan | TransferPlan | VideoPlan;
/**
 * One image by one-frame inference.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ImagePlan".
 */
export type ImagePlan = SamplingSettings &
  OneFrameSettings & {
    kind: "image";
    prompt: string;
    seed: Seed;
  };
/**
 * Pixels (a multiple of 16), or null for the nearest 640-resolution bucket of the reference image (the input, or the transfer target).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "MaybeDimension".
 */
export type MaybeDimension = null | Dimension;
/**
 * Seed of the CPU noise generator of one image (the same seed gives the same noise on any device).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Seed".
 */
export type Seed = number;
/**
 * Many images, batch_size per transformer call; items with the same layout share a forward pass.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "BatchPlan".
 */
export type BatchPlan = SamplingSettings &
  OneFrameSettings & {
    kind: "batch";
    /**
     * @minItems 1
     * @maxItems 1000
     */
    items: [BatchItem, ...BatchItem[]];
    batch_size: number;
  };
/**
 * Kisekaeichi reference transfer (docs/framepack.md §10).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "TransferPlan".
 */
export type TransferPlan = SamplingSettings & {
  kind: "transfer";
  prompt: string;
  seed: Seed;
  /**
   * Absolute path on the engine's host, inside the job's work directory.
   */
  target_image_path: string;
  /**
   * Absolute path on the engine's host, inside the job's work directory.
   */
  source_image_path: string;
  /**
   * Grayscale: white keep, black repaint.
   */
  target_mask_path: null | FilePath;
  /**
   * Grayscale: white take, black ignore.
   */
  source_mask_path: null | FilePath;
  /**
   * Scales the source latent: 0 ignores the source, 1 is the full reference.
   */
  transfer_strength: number;
  target_index: number;
  control_index: number;
};
/**
 * Image-to-video: transformer base = inverted anti-drifting sections (docs/framepack.md §7.2), f1 = forward sections (§7.3).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "VideoPlan".
 */
export type VideoPlan = SamplingSettings & {
  kind: "video";
  prompt: string;
  seed: Seed;
  /**
   * The start image; null only with a continuation (the anchor then comes from the earlier video, docs/framepack.md §7.10).
   */
  input_image_path: null | FilePath;
  seconds: number;
  latent_window_size: number;
  /**
   * Which block cache skips transformer steps (docs/framepack.md §12); the engine holds each one's settings.
   */
  cache: "teacache" | "magcache" | "none";
  /**
   * H.264 constant rate factor; 0 is lossless.
   */
  mp4_crf: number;
  /**
   * GB of GPU memory to keep free in the low memory mode.
   */
  gpu_memory_preservation: number;
  /**
   * Absolute path on the engine's host, inside the job's work directory.
   */
  end_image_path?: string;
  /**
   * Scales the end latent; absent = 1.
   */
  end_frame_strength?: number;
  /**
   * The end image is the start image (end_image_path then names it); recorded in the MP4's parameters.
   */
  loop?: boolean;
  /**
   * Prompts from a time in the video on (seconds, ascending); the plan's prompt covers what comes before the first (§7.6).
   *
   * @maxItems 64
   */
  section_prompts?: SectionPrompt[];
  /**
   * Sections before each prompt change that blend into the next prompt; absent = 0.
   */
  prompt_blend_sections?: number;
  /**
   * Base model only: images for time-order sections, each the clean start-slot latent and the SigLIP image of its section (§7.7).
   *
   * @maxItems 64
   */
  keyframes?: Keyframe[];
  continuation?: Continuation;
  /**
   * Absolute path on the engine's host, inside the job's work directory.
   */
  checkpoint_dir?: string;
};
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "EngineRequest".
 */
export type EngineRequest =
  StatusRequest | RunRequest | CancelRequest | ShutdownRequest | YieldRequest;
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Bytes".
 */
export type Bytes = number | null;
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "EngineState".
 */
export type EngineState = "idle" | "busy";
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "EngineEvent".
 */
export type EngineEvent =
  | HelloEvent
  | StatusEvent
  | HeartbeatEvent
  | ProgressEvent
  | ResultEvent
  | ErrorEvent
  | CancelledEvent
  | ItemResultEvent
  | CheckpointEvent
  | YieldedEvent;

/**
 * Messages between the control plane and one engine process: one JSON object per line. Requests go to the engine's stdin, events come from its stdout; logs go to stderr and never mix with events. Version 1.
 */
export interface ProtocolDocument {
  [k: string]: unknown | undefined;
}
/**
 * Loads the whole model set, encodes a prompt and an image, and reports the tensor shapes. A health check of the model set, not a generation.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ProbePlan".
 */
export interface ProbePlan {
  kind: "probe";
  prompt: string;
  image_path: FilePath;
  width: Dimension;
  height: Dimension;
}
/**
 * Sampler and model settings shared by the image, batch, transfer and video plans.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "SamplingSettings".
 */
export interface SamplingSettings {
  /**
   * Absolute path on the engine's host, inside the job's work directory.
   */
  output_dir: string;
  /**
   * Used only when cfg > 1.
   */
  negative_prompt: string;
  steps: number;
  /**
   * Real classifier-free guidance; 1 skips the negative branch.
   */
  cfg: number;
  /**
   * Distilled guidance scale.
   */
  gs: number;
  /**
   * CFG rescale; 0 is off.
   */
  rs: number;
  /**
   * Time shift; null = dynamic from the token count.
   */
  shift: null | number;
  width: MaybeDimension;
  height: MaybeDimension;
  transformer: "base" | "f1";
  /**
   * @maxItems 8
   */
  loras: LoraEntry[];
  /**
   * Send a preview every k sampler steps; 0 = none.
   */
  preview_every: number;
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "LoraEntry".
 */
export interface LoraEntry {
  path: FilePath;
  scale: number;
}
/**
 * One-frame inference layout (docs/framepack.md §8).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "OneFrameSettings".
 */
export interface OneFrameSettings {
  /**
   * null = text-only (a neutral grey input image).
   */
  input_image_path: null | FilePath;
  latent_window_size: number;
  target_index: number;
  no_2x: boolean;
  no_4x: boolean;
  no_post: boolean;
  /**
   * 1f-mc (docs/framepack.md §11): the clean latents instead of the input image, which still gives SigLIP.
   *
   * @minItems 1
   * @maxItems 8
   */
  control_images?: [ControlImage, ...ControlImage[]];
}
/**
 * One control image of a 1f-mc plan: its latent, masked, at a clean index.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ControlImage".
 */
export interface ControlImage {
  image_path: FilePath;
  /**
   * Grayscale, white keeps, black removes; null: the image's alpha channel, if any.
   */
  mask_path: null | FilePath;
  /**
   * The control's clean frame index.
   */
  index: number;
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "BatchItem".
 */
export interface BatchItem {
  prompt: string;
  seed: Seed;
  /**
   * Overrides the plan's (RoPE sweep).
   */
  target_index?: number;
  /**
   * Overrides the plan's (RoPE sweep).
   */
  latent_window_size?: number;
  /**
   * The item's index in its job (a micro-batch of a larger batch); default: its position in this plan.
   */
  index?: number;
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "SectionPrompt".
 */
export interface SectionPrompt {
  /**
   * Seconds into the video.
   */
  start: number;
  prompt: string;
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Keyframe".
 */
export interface Keyframe {
  /**
   * Time-order section index, 0 = the first seconds.
   */
  section: number;
  image_path: FilePath;
}
/**
 * F1 only: the video continues an earlier one; the result is the joined video and its joined latent history (docs/framepack.md §7.10).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Continuation".
 */
export interface Continuation {
  /**
   * What is continued, for the metadata: the earlier job's id, or "upload".
   */
  source: string;
  /**
   * Absolute path on the engine's host, inside the job's work directory.
   */
  video_path: string;
  /**
   * The earlier video's latent history (its latents.safetensors); null = VAE-encode the last up to 108 frames of video_path.
   */
  latents_path: null | FilePath;
}
/**
 * Ask for a status event now.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "StatusRequest".
 */
export interface StatusRequest {
  type: "status";
}
/**
 * Execute a plan. The engine runs one plan at a time; a run while busy is answered by an error with code engine_busy.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "RunRequest".
 */
export interface RunRequest {
  type: "run";
  job_id: JobId;
  plan: Plan;
}
/**
 * Stop the running plan of this job; honoured within one sampler step and answered by a cancelled event.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "CancelRequest".
 */
export interface CancelRequest {
  type: "cancel";
  job_id: JobId;
}
/**
 * Stop the running video of this job at its next section boundary, after that section's checkpoint is written (docs/architecture.md §6); answered by a yielded event, or by the job's ordinary end when no boundary is left. Unknown or finished jobs are ignored.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "YieldRequest".
 */
export interface YieldRequest {
  type: "yield";
  job_id: JobId;
}
/**
 * Finish nothing further, free the device and exit with status 0.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ShutdownRequest".
 */
export interface ShutdownRequest {
  type: "shutdown";
}
/**
 * Memory figures in bytes; device figures are null on a CPU device.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Memory".
 */
export interface Memory {
  device_total_bytes: Bytes;
  device_free_bytes: Bytes;
  device_allocated_bytes: Bytes;
  host_rss_bytes: number;
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "Device".
 */
export interface Device {
  kind: "cpu" | "cuda" | "mps";
  name: string;
  index: number | null;
}
/**
 * Which model set the engine serves. tiny is true for the generated random-weight test set: its outputs are noise.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ModelSet".
 */
export interface ModelSet {
  root: string;
  tiny: boolean;
  /**
   * high: every model resident; low: components on the device only for their phase, transformer blocks streamed.
   */
  memory_mode: "high" | "low";
  /**
   * The scaled-dot-product attention backends the transformer asks torch for, in priority order (docs/framepack.md §6.1); the first whose kernel accepts a call runs it.
   */
  attention_backends?: ("cudnn" | "flash" | "efficient" | "math")[];
  /**
   * The --gpu-memory-gb limit: device memory the engine plans for and may allocate; null for the whole device (docs/framepack.md §13).
   */
  gpu_memory_limit_gb?: number | null;
  /**
   * The --transformer-dtype the transformers are loaded in: bf16 (the model's own dtype) or fp8 block linears (docs/framepack.md §18).
   */
  transformer_dtype?: "bf16" | "fp8";
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "LoadedModel".
 */
export interface LoadedModel {
  /**
   * Role in the model set, e.g. transformer_base, text_encoder, vae.
   */
  name: string;
  class_name: string;
  dtype: string;
  device: string;
  bytes: number;
}
/**
 * First line an engine writes, once it is ready for requests.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "HelloEvent".
 */
export interface HelloEvent {
  type: "hello";
  protocol_version: ProtocolVersion;
  engine_version: string;
  versions: {
    python: string;
    torch: string;
    diffusers: string;
    transformers: string;
  };
  device: Device;
  capabilities: {
    plan_kinds: PlanKind[];
  };
  memory: Memory;
  model_set: ModelSet;
}
/**
 * Answer to a status request.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "StatusEvent".
 */
export interface StatusEvent {
  type: "status";
  state: EngineState;
  job_id: JobId | null;
  uptime_s: number;
  loaded_models: LoadedModel[];
  memory: Memory;
  model_set: ModelSet;
}
/**
 * Written every heartbeat interval, also while a plan runs; silence means a hung engine.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "HeartbeatEvent".
 */
export interface HeartbeatEvent {
  type: "heartbeat";
  state: EngineState;
  job_id: JobId | null;
  uptime_s: number;
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ProgressEvent".
 */
export interface ProgressEvent {
  type: "progress";
  job_id: JobId;
  phase: "loading" | "encoding" | "sampling" | "decoding" | "saving";
  step: number;
  total: number;
  /**
   * Human text of the phase.
   */
  info: string;
  /**
   * Latest preview as a data URI of a small JPEG.
   */
  preview?: string;
}
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "OutputFile".
 */
export interface OutputFile {
  path: FilePath;
  kind: "image" | "video" | "preview";
  width?: number;
  height?: number;
  seed?: number;
  /**
   * Item index in a batch.
   */
  index?: number;
  /**
   * Frame count of a video.
   */
  frames?: number;
  fps?: number;
}
/**
 * The plan finished: files written (atomically) and what was used to make them.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ResultEvent".
 */
export interface ResultEvent {
  type: "result";
  job_id: JobId;
  files: OutputFile[];
  /**
   * What was used: seeds, sizes, models, LoRAs, indices.
   */
  metadata: {
    [k: string]: unknown | undefined;
  };
}
/**
 * A request or a plan failed. job_id is null when the failing line named no job (for example a malformed line).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ErrorEvent".
 */
export interface ErrorEvent {
  type: "error";
  job_id: JobId | null;
  code:
    | "malformed_message"
    | "invalid_plan"
    | "engine_busy"
    | "unknown_job"
    | "model_load_failed"
    | "out_of_memory"
    | "disk_full"
    | "internal_error";
  message: string;
  retriable: boolean;
}
/**
 * The plan of this job stopped because it was cancelled.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "CancelledEvent".
 */
export interface CancelledEvent {
  type: "cancelled";
  job_id: JobId;
}
/**
 * A video's section checkpoint in the plan's checkpoint_dir holds sections_done sections: sent after each section's checkpoint is written (atomically), and once when a run resumes from one. A retry of the same plan on an engine of the same version resumes after it.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "CheckpointEvent".
 */
export interface CheckpointEvent {
  type: "checkpoint";
  job_id: JobId;
  sections_done: number;
  sections_total: number;
  /**
   * Size of the checkpoint file.
   */
  bytes: number;
}
/**
 * The video of this job stopped at a section boundary as a yield request asked; its checkpoint holds sections_done sections.
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "YieldedEvent".
 */
export interface YieldedEvent {
  type: "yielded";
  job_id: JobId;
  sections_done: number;
}
/**
 * One item of a batch plan has finished (completed with its file, or failed with a reason).
 *
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "ItemResultEvent".
 */
export interface ItemResultEvent {
  type: "item_result";
  job_id: JobId;
  index: number;
  status: "completed" | "failed";
  seed: Seed;
  file?: OutputFile;
  error?: string;
}
