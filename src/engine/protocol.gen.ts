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
export type PlanKind = "probe";
export type Plan1 = ProbePlan;
/**
 * This interface was referenced by `ProtocolDocument`'s JSON-Schema
 * via the `definition` "EngineRequest".
 */
export type EngineRequest = StatusRequest | RunRequest | CancelRequest | ShutdownRequest;
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
  | CancelledEvent;

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
