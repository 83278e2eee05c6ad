// The API's answers as the UI reads them (shared/docs/api.md §2).
export type JobKind = "image" | "batch_image" | "image_transfer" | "video";
export type JobStatus = "pending" | "processing" | "completed" | "failed" | "cancelled";

export const JOB_KINDS: readonly JobKind[] = ["image", "batch_image", "image_transfer", "video"];
export const JOB_STATUSES: readonly JobStatus[] = [
  "pending",
  "processing",
  "completed",
  "failed",
  "cancelled",
];
export const TERMINAL: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export interface OutputImage {
  url: string;
  seed: number;
  width: number;
  height: number;
}

export interface Job {
  id: string;
  type: JobKind;
  data: Record<string, unknown>;
  status: JobStatus;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  error: { code: string; message: string } | null;
  result: {
    images: OutputImage[];
    video: (OutputImage & { frames: number | null; fps: number | null }) | null;
    seeds: number[];
  } | null;
  progress: number;
  step: number;
  total: number;
  info: string;
  phase: string | null;
  preview: string | null;
  batch_progress: { total: number; completed: number; failed: number } | null;
  queue_position: number | null;
}

export interface JobPage {
  jobs: Job[];
  next_cursor: string | null;
}

export interface Memory {
  device_total_bytes: number | null;
  device_free_bytes: number | null;
  device_allocated_bytes: number | null;
  host_rss_bytes: number;
}

export interface EngineReport {
  id: string;
  state: "idle" | "busy" | "unresponsive";
  engine_version: string;
  versions: Record<string, string>;
  device: { kind: string; name: string; index: number | null };
  model_set: { root: string; tiny: boolean; memory_mode: string };
  memory: Memory;
  loaded_models: {
    name: string;
    class_name: string;
    dtype: string;
    device: string;
    bytes: number;
  }[];
  uptime_s: number | null;
  error: string | null;
}

export interface SystemReport {
  version: string;
  model_set: { root: string; tiny: boolean; notice: string | null };
  engines: EngineReport[];
}

export interface LoraList {
  loras: { name: string }[];
}

export interface Accepted {
  job_id: string;
  status: JobStatus;
}
