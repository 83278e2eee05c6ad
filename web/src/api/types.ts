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
  SystemReport,
  TransferImageRequest,
} from "../../../src/client/index";
import { TERMINAL_STATUSES } from "../../../src/contract/requests";

export type Job = QueuedJob;
export type JobKind = Job["type"];
export type JobStatus = Job["status"];
export type JobFilter = Pick<JobListQuery, "status" | "type" | "since" | "until" | "q">;
export type JobPageQuery = Pick<JobListQuery, "cursor" | "limit">;
/** A picture a job was submitted with: its request field and where to fetch it. */
export type StoredInput =
  paths["/api/jobs/{id}/inputs"]["get"]["responses"][200]["content"]["application/json"]["inputs"][number];
export type Accepted =
  paths["/api/generate-image"]["post"]["responses"][202]["content"]["application/json"];
export type { SystemReport };
/** One engine of the system report: device, state, memory, versions, loaded models. */
export type EngineReport = SystemReport["engines"][number];
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
const STATUSES: Record<JobStatus, true> = {
  pending: true,
  processing: true,
  completed: true,
  failed: true,
  cancelled: true,
};
export const JOB_KINDS = Object.keys(KINDS) as readonly JobKind[];
export const JOB_STATUSES = Object.keys(STATUSES) as readonly JobStatus[];

/** Whether a job in this status is over (nothing left to cancel or follow). */
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
