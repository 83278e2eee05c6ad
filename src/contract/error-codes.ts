// Every error code a client can meet, with what it means: the codes of refused /api
// requests (`error.code` of the envelope) and of failed jobs (`error.code` of a job
// record). The response schemas list them (OpenAPI, the SDK's types, the fuzzer's
// checks), the READMEs' tables must match them (test/readme.test.ts), and the code
// that raises them is typed by them.
import type { ErrorEvent } from "../engine/protocol.js";

export const REQUEST_ERROR_CODES = {
  validation_failed: "422: a field is missing, unknown or out of range; `details` names each one.",
  invalid_image: "400: an image field is not valid base64 or not a readable picture.",
  unsupported_image: "422: a picture in a format other than PNG, JPEG or WebP.",
  image_too_large: "413: a picture over the byte or pixel limit (decompression bombs included).",
  body_too_large: "413: the request body is over MAX_BODY_MB.",
  unsupported_media_type: "415: a body that is not JSON.",
  bad_request: "400: a body that cannot be parsed as JSON, or a malformed request.",
  bad_url: "400: a malformed URL.",
  uri_too_long: "414: a path parameter longer than the service accepts.",
  not_found: "404: no such route, job or output.",
  job_finished: "409: cancelling a job that has already finished.",
  invalid_cursor: "400: a `cursor` that no list page gave.",
  queue_full: "503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.",
  too_many_jobs: "429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.",
  storage_full: "503: no disk space left for the request's pictures; retry after `Retry-After`.",
  unauthorized: "401: an API key is required.",
  forbidden: "403: the API key is not valid.",
  internal_error: "500: the service failed; the reason is in its log.",
} as const;

export type RequestErrorCode = keyof typeof REQUEST_ERROR_CODES;

/** The engine's codes (protocol/schema.json) and the service's own. */
export type JobErrorCode = ErrorEvent["code"] | "engine_crashed" | "engine_timeout" | "interrupted";

export const JOB_ERROR_CODES: Record<JobErrorCode, string> = {
  out_of_memory: "The GPU ran out of memory (retried): lower the size, or use the low memory mode.",
  model_load_failed: "The engine could not load the weights: `framepack models verify` says why.",
  invalid_plan: "The engine refused the job's settings (a LoRA it cannot apply, say).",
  disk_full: "No disk space left for the outputs.",
  internal_error: "The engine or the service failed; the reason is in its log.",
  malformed_message: "The engine could not read the service's message (mismatched versions).",
  engine_busy: "The engine was given a job while it ran another (a service bug).",
  unknown_job: "The engine was asked about a job it does not run (a service bug).",
  engine_crashed:
    "The engine process died under the job (retried up to FRAMEPACK_MAX_ATTEMPTS times).",
  engine_timeout: "The engine took longer than the job may take.",
  interrupted:
    "The service stopped while the job ran (crashes count towards FRAMEPACK_MAX_ATTEMPTS).",
};
