// The API's records and requests as the UI reads them, all from the SDK's types, which
// are generated from the service's OpenAPI document (src/client/openapi.gen.ts).
import type {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  JobListQuery,
  JobStreamEvent,
  paths,
  QueuedJob,
  TransferImageRequest,
} from "../../../src/client/index";

export type Job = QueuedJob;
export type JobKind = Job["type"];
export type JobStatus = Job["status"];
export type JobPage = paths["/api/jobs"]["get"]["responses"][200]["content"]["application/json"];
export type JobFilter = Pick<JobListQuery, "status" | "type">;
export type LoraList = paths["/api/loras"]["get"]["responses"][200]["content"]["application/json"];
export type Accepted =
  paths["/api/generate-image"]["post"]["responses"][202]["content"]["application/json"];
/** One event of a job's stream: status, progress, preview, item, done (the job record). */
export type JobEvent = JobStreamEvent;

/** The request body of each job type. */
export interface SubmitBodies {
  image: GenerateImageRequest;
  batch_image: BatchImagesRequest;
  image_transfer: TransferImageRequest;
  video: GenerateVideoRequest;
}

// UI lists over the API's enums, in the order the UI shows them. Records, so a kind or
// status the document adds or drops is a compile error here.
const KINDS: Record<JobKind, true> = {
  image: true,
  batch_image: true,
  image_transfer: true,
  video: true,
};
const TERMINAL: Record<JobStatus, boolean> = {
  pending: false,
  processing: false,
  completed: true,
  failed: true,
  cancelled: true,
};
export const JOB_KINDS = Object.keys(KINDS) as readonly JobKind[];
export const JOB_STATUSES = Object.keys(TERMINAL) as readonly JobStatus[];

/** Whether a job in this status is over (nothing left to cancel or follow). */
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL[status];
}

// Not in the OpenAPI document yet (/api/system has no response schema there): kept here
// until it has one, then derived like the rest (shared/docs/api.md §2).
interface Memory {
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
