// run(): a generation in one call, as Replicate's and fal's SDKs offer it: submit with
// `Prefer: wait` (a short job comes back finished in the answer), else follow the job's
// event stream to its end, then download every output. A job that does not complete is
// a JobNotCompletedError carrying its record.
import type { Client } from "openapi-fetch";
import { unwrap } from "./errors.js";
import type { FollowOptions, JobStreamEvent } from "./events.js";
import type { paths } from "./openapi.gen.js";

/** The generation endpoints run() submits to. */
export type GenerationPath =
  "/api/generate-image" | "/api/batch-images" | "/api/transfer-image" | "/api/generate-video";

type RequestOf<P extends GenerationPath> =
  paths[P]["post"]["requestBody"]["content"]["application/json"];
type JobRecord = paths["/api/jobs/{id}"]["get"]["responses"][200]["content"]["application/json"];

export interface RunOptions extends Pick<FollowOptions, "signal"> {
  /** Seconds the submission waits for the job (`Prefer: wait`, at most 60; default 60). */
  waitSeconds?: number;
  /** Each event while the job is followed (progress, previews, items). */
  onEvent?: (event: JobStreamEvent) => void;
}

export interface RunOutput {
  /** The URL the record gives (`/api/outputs/...`). */
  url: string;
  bytes: Uint8Array;
}

export interface RunResult {
  job: JobRecord;
  /** Every output, images first (in the record's order), then the video. */
  outputs: RunOutput[];
}

/** The job ended other than completed (failed or cancelled); `job` says why. */
export class JobNotCompletedError extends Error {
  constructor(readonly job: JobRecord) {
    super(`job ${job.id} ${job.status}${job.error ? `: ${job.error.message}` : ""}`);
    this.name = "JobNotCompletedError";
  }
}

interface RunParts {
  client: Client<paths>;
  events: (jobId: string, options?: FollowOptions) => AsyncGenerator<JobStreamEvent>;
  download: (url: string, signal?: AbortSignal) => Promise<Uint8Array>;
}

const LONGEST_WAIT_S = 60;

export async function runJob<P extends GenerationPath>(
  parts: RunParts,
  path: P,
  body: RequestOf<P>,
  options: RunOptions = {},
): Promise<RunResult> {
  const waitSeconds = Math.min(options.waitSeconds ?? LONGEST_WAIT_S, LONGEST_WAIT_S);
  // One call shape for the four routes: their bodies differ, their answers do not.
  const submitted = await unwrap(
    parts.client.POST(path as "/api/generate-image", {
      body: body as RequestOf<"/api/generate-image">,
      headers: { prefer: `wait=${String(waitSeconds)}` },
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  const job = "id" in submitted ? submitted : await follow(parts, submitted.job_id, options);
  if (job.status !== "completed") throw new JobNotCompletedError(job);
  const urls = [
    ...(job.result?.images.map((image) => image.url) ?? []),
    ...(job.result?.video ? [job.result.video.url] : []),
  ];
  const outputs = [];
  for (const url of urls) outputs.push({ url, bytes: await parts.download(url, options.signal) });
  return { job, outputs };
}

/** The job's events until `done`, whose data is the final record. */
async function follow(parts: RunParts, jobId: string, options: RunOptions): Promise<JobRecord> {
  const follow = options.signal ? { signal: options.signal } : {};
  for await (const event of parts.events(jobId, follow)) {
    options.onEvent?.(event);
    if (event.event === "done") return event.data;
  }
  throw new Error(`the event stream of job ${jobId} ended without its record`);
}
