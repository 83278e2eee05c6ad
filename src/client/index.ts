// The typed client SDK: openapi-fetch over the paths generated from the service's
// OpenAPI document (openapi.gen.ts, by `npm run client:gen`), plus the job event
// stream and output downloads, all sending the API key as the service expects.
import createClient, { type Client } from "openapi-fetch";
import { FramePackError } from "./errors.js";
import { followJobEvents, type FollowOptions, type JobStreamEvent } from "./events.js";
import type { paths } from "./openapi.gen.js";
import { runJob, type GenerationPath, type RunOptions, type RunResult } from "./run.js";

export type { paths } from "./openapi.gen.js";
export { EventStreamLostError, FramePackError, unwrap } from "./errors.js";
export type { FollowOptions, JobStreamEvent } from "./events.js";
export { JobNotCompletedError } from "./run.js";
export type { GenerationPath, RunOptions, RunOutput, RunResult } from "./run.js";

type JsonResponse<Operation> = Operation extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;
type JsonRequest<Operation> = Operation extends {
  requestBody?: { content: { "application/json": infer Body } };
}
  ? Body
  : never;

/** The job record (QueuedJob, docs/api.md §3). */
export type QueuedJob = JsonResponse<paths["/api/jobs/{id}"]["get"]>;
/** GET /api/system: the service's version and model set, and each engine's report. */
export type SystemReport = JsonResponse<paths["/api/system"]["get"]>;
export type JobListQuery = NonNullable<paths["/api/jobs"]["get"]["parameters"]["query"]>;
export type GenerateImageRequest = JsonRequest<paths["/api/generate-image"]["post"]>;
export type BatchImagesRequest = JsonRequest<paths["/api/batch-images"]["post"]>;
export type TransferImageRequest = JsonRequest<paths["/api/transfer-image"]["post"]>;
export type GenerateVideoRequest = JsonRequest<paths["/api/generate-video"]["post"]>;
/** The events a job's `webhook` can be sent (`webhook_events`). */
export type WebhookEvent = NonNullable<GenerateImageRequest["webhook_events"]>[number];
/** GET /api/jobs/{id}/webhooks: each webhook message of a job and its attempts. */
export type WebhookDeliveryLog = JsonResponse<paths["/api/jobs/{id}/webhooks"]["get"]>;

/**
 * Options of a generation call that send `key` as its Idempotency-Key (docs/api.md §6):
 * sent again with the same body within 24 h, the call answers with the first one's job,
 * so a submission can be retried safely after a lost answer.
 * `client.POST("/api/generate-image", { body, ...idempotencyKey(key) })`
 */
export function idempotencyKey(key: string) {
  return { params: { header: { "idempotency-key": key } } };
}

export interface FramePackClientOptions {
  /** e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; never logged or printed by this SDK. */
  apiKey?: string | undefined;
  fetch?: typeof fetch;
}

export interface FramePackClient extends Client<paths> {
  /** A job's live events until `done`, reconnecting with Last-Event-ID when cut off. */
  events: (jobId: string, options?: FollowOptions) => AsyncGenerator<JobStreamEvent>;
  /**
   * An output file by the URL a job record gives (`/api/outputs/...`, taken under the
   * base URL's path); a URL on another origin is refused, as the request carries the key.
   */
  download: (url: string, signal?: AbortSignal) => Promise<Uint8Array>;
  /**
   * Submits a generation, waits for it (`Prefer: wait`, then the event stream) and
   * downloads its outputs; a job that fails or is cancelled rejects with
   * JobNotCompletedError.
   */
  run: <P extends GenerationPath>(
    path: P,
    body: JsonRequest<paths[P]["post"]>,
    options?: RunOptions,
  ) => Promise<RunResult>;
}

/**
 * Why a header cannot carry this key, never quoting it; undefined when it can. The
 * service's keys are printable ASCII without spaces.
 */
export function apiKeyProblem(apiKey: string): string | undefined {
  const bad = /[^\x21-\x7e]/.exec(apiKey);
  if (!bad) return undefined;
  const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `The API key holds a character an HTTP header cannot carry (U+${code} at position ${bad.index + 1}); only printable ASCII without spaces is allowed.`;
}

function authHeaders(apiKey: string | undefined): Record<string, string> {
  if (!apiKey) return {};
  // Checked here, as fetch's own refusal of such a header quotes its whole value, the
  // key with it.
  const problem = apiKeyProblem(apiKey);
  if (problem) throw new TypeError(problem);
  return { authorization: `Bearer ${apiKey}` };
}

/**
 * An output URL resolved against the service's base URL. Root-relative ones (what the
 * service gives) go under the base URL's path, so a service a proxy serves at
 * http://host/fp works; `new URL(url, base)` would drop the /fp.
 */
function outputUrl(url: string, baseUrl: string): URL {
  const base = new URL(`${baseUrl}/`);
  const rootRelative = url.startsWith("/") && !url.startsWith("//");
  const target = new URL(rootRelative ? `.${url}` : url, base);
  if (target.origin !== base.origin) {
    throw new Error(
      `Refusing to download ${target.origin}${target.pathname}: not the service's origin (${base.origin}), and the request would carry the API key.`,
    );
  }
  return target;
}

export function createFramePackClient(options: FramePackClientOptions): FramePackClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const headers = authHeaders(options.apiKey);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const client = createClient<paths>({
    baseUrl,
    headers,
    fetch: (request) => fetchImpl(request),
  });
  const download = async (url: string, signal?: AbortSignal): Promise<Uint8Array> => {
    const response = await fetchImpl(outputUrl(url, baseUrl), {
      headers,
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) throw FramePackError.from(response, await response.json().catch(() => ""));
    return new Uint8Array(await response.arrayBuffer());
  };
  const events = (jobId: string, follow?: FollowOptions) => followJobEvents(client, jobId, follow);
  return Object.assign(client, {
    events,
    download,
    run: <P extends GenerationPath>(
      path: P,
      body: JsonRequest<paths[P]["post"]>,
      runOptions?: RunOptions,
    ) => runJob({ client, events, download }, path, body, runOptions),
  });
}
