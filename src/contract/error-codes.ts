// Every error code a client can meet, with what it means: the codes of refused /api
// requests (`error.code` of the envelope), each owning its HTTP status and Retry-After,
// and the codes of failed jobs (`error.code` of a job record). The response schemas
// list them (OpenAPI, the SDK's types, the fuzzer's checks), the READMEs' tables must
// match them (test/readme.test.ts), and the code that raises them names only the code.
import type { ErrorEvent } from "../engine/protocol.js";

export interface RequestErrorSpec {
  status: number;
  meaning: string;
  /** Seconds a client should wait before trying again (sent as Retry-After). */
  retryAfterS?: number;
}

/** Seconds to wait when the queue or the disk is full: long enough for a job to finish. */
const BUSY_RETRY_AFTER_S = 30;
/** Seconds to wait while large bodies are read: reading and decoding one takes about a second. */
const INTAKE_RETRY_AFTER_S = 2;

const REQUEST_ERRORS = {
  validation_failed: {
    status: 422,
    meaning: "a field is missing, unknown or out of range; `details` names each one.",
  },
  invalid_image: {
    status: 400,
    meaning: "an image field is not valid base64 or not a readable picture.",
  },
  unsupported_image: {
    status: 422,
    meaning: "a picture in a format other than PNG, JPEG or WebP.",
  },
  image_too_large: {
    status: 413,
    meaning: "a picture over the byte or pixel limit (decompression bombs included).",
  },
  body_too_large: { status: 413, meaning: "the request body is over MAX_BODY_MB." },
  unsupported_media_type: { status: 415, meaning: "a body that is not JSON." },
  bad_request: {
    status: 400,
    meaning: "a body that cannot be parsed as JSON, or a malformed request.",
  },
  bad_url: { status: 400, meaning: "a malformed URL." },
  uri_too_long: { status: 414, meaning: "a path parameter longer than the service accepts." },
  headers_too_large: {
    status: 431,
    meaning: "the request line and headers are over MAX_HEADER_KB.",
  },
  request_timeout: {
    status: 408,
    meaning:
      "the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).",
  },
  not_found: {
    status: 404,
    meaning: "no such route, job or output (another API key's jobs included).",
  },
  forbidden_path: {
    status: 403,
    meaning: "a path the service never serves (one that climbs out of a folder of static files).",
  },
  job_finished: { status: 409, meaning: "cancelling a job that has already finished." },
  job_not_pending: {
    status: 409,
    meaning: "changing the priority of a job that has already started or finished.",
  },
  job_not_finished: {
    status: 409,
    meaning: "retrying or deleting a job that is pending or running; cancel it first.",
  },
  admin_only: {
    status: 403,
    meaning: "pausing or resuming the queue with a key that is not an admin key.",
  },
  ambiguous_id: {
    status: 409,
    meaning: "a short job id (the start of an id) that names more than one job; give more of it.",
  },
  invalid_cursor: { status: 400, meaning: "a `cursor` that no list page gave." },
  idempotency_key_reused: {
    status: 422,
    meaning:
      "an `Idempotency-Key` this API key used within 24 h for a different request (route or body).",
  },
  webhook_not_allowed: {
    status: 422,
    meaning:
      "a `webhook` to a host WEBHOOK_ALLOWED_HOSTS does not list, or any webhook while WEBHOOK_SECRET is unset.",
  },
  queue_full: {
    status: 503,
    meaning: "the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.",
    retryAfterS: BUSY_RETRY_AFTER_S,
  },
  too_many_jobs: {
    status: 429,
    meaning: "this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.",
    retryAfterS: BUSY_RETRY_AFTER_S,
  },
  storage_full: {
    status: 503,
    meaning: "no disk space left for the request's pictures; retry after `Retry-After`.",
    retryAfterS: BUSY_RETRY_AFTER_S,
  },
  store_busy: {
    status: 503,
    meaning:
      "the job store cannot write for the moment (its lock is held); retry after `Retry-After`.",
    retryAfterS: BUSY_RETRY_AFTER_S,
  },
  server_busy: {
    status: 503,
    meaning: "too many large requests are being read at once; retry after `Retry-After`.",
    retryAfterS: INTAKE_RETRY_AFTER_S,
  },
  unauthorized: { status: 401, meaning: "an API key is required." },
  forbidden: { status: 403, meaning: "the API key is not valid." },
  internal_error: { status: 500, meaning: "the service failed; the reason is in its log." },
} as const satisfies Record<string, RequestErrorSpec>;

export type RequestErrorCode = keyof typeof REQUEST_ERRORS;

/** The registry, typed for lookups: code -> status, meaning, Retry-After. */
export const REQUEST_ERROR_CODES: Readonly<Record<RequestErrorCode, RequestErrorSpec>> =
  REQUEST_ERRORS;

/** code -> "422: a field is missing, ...": status and meaning, as the README tables show them. */
export const REQUEST_ERROR_DESCRIPTIONS = Object.fromEntries(
  Object.entries(REQUEST_ERRORS).map(([code, { status, meaning }]) => [
    code,
    `${String(status)}: ${meaning}`,
  ]),
) as Record<RequestErrorCode, string>;

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
