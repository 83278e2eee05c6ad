// Jobs as FramePack-FastAPI showed them: its 8-hex ids, status strings
// ("failed - <reason>"), progress in percent over the whole run, and its field names.
import { randomBytes } from "node:crypto";
import type { Static } from "typebox";
import type { JobScope, JobService } from "../../jobs/service.js";
import type { JobQuery, JobRecord } from "../../store/types.js";
import type { LegacyProgress } from "./responses.js";

const LEGACY_ID = /^[0-9a-f]{8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID_ATTEMPTS = 8;

/** A fresh 8-hex id no job holds yet (the store's unique index is the last guard). */
export async function newLegacyId(jobs: JobService): Promise<string> {
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const id = randomBytes(4).toString("hex");
    if (!(await jobs.getByLegacyId(id, "all"))) return id;
  }
  throw new Error(`no free legacy id after ${ID_ATTEMPTS} attempts`);
}

/**
 * A job by the id a legacy client holds: its 8-hex id, or the UUID of a job made
 * through /api (the queue is shared, so /queue lists those too); within `scope`.
 */
export async function findJob(
  jobs: JobService,
  id: string,
  scope: JobScope,
): Promise<JobRecord | undefined> {
  if (LEGACY_ID.test(id)) return jobs.getByLegacyId(id, scope);
  if (UUID.test(id)) return jobs.get(id, scope);
  return undefined;
}

const PAGE = 200;

/** Every job matching the query within `scope`, newest first, across pages. */
export async function allJobs(
  jobs: JobService,
  query: Omit<JobQuery, "limit" | "cursor" | "apiKeyHash">,
  scope: JobScope,
): Promise<JobRecord[]> {
  const found: JobRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await jobs.list({ ...query, limit: PAGE, ...(cursor ? { cursor } : {}) }, scope);
    found.push(...page.jobs);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** The id legacy clients see. */
export function legacyIdOf(job: JobRecord): string {
  return job.legacyId ?? job.id;
}

/** The file name legacy clients see for a job's video (/videos, /video_stream). */
export function videoFileName(job: JobRecord): string {
  return `${legacyIdOf(job)}.mp4`;
}

/** The job id in a /videos file name, or undefined when the name is no video of ours. */
export function jobIdOfVideoFile(fileName: string): string | undefined {
  return /^([0-9a-f-]{8,36})\.mp4$/.exec(fileName)?.[1];
}

function failureReason(job: JobRecord): string {
  const message = job.error?.message.split("\n")[0]?.trim();
  return message || job.error?.code || "unknown error";
}

/** pending | processing | completed | cancelled | "failed - <reason>" */
export function legacyStatus(job: JobRecord): string {
  return job.status === "failed" ? `failed - ${failureReason(job)}` : job.status;
}

export function isLegacyTerminal(status: string): boolean {
  return status === "completed" || status === "cancelled" || status.startsWith("failed");
}

/**
 * Where each engine phase lies on the original's 0..100 scale (encoding 5-25, sampling
 * 25-95, saving 98), from the phase's fraction. A section's decode stays at the point its
 * sampling reached, so the value never goes back (the original's dipped by one).
 */
const PHASE_PERCENT: Record<string, (fraction: number) => number> = {
  loading: () => 0,
  encoding: (fraction) => 5 + 20 * fraction,
  sampling: (fraction) => 25 + 70 * fraction,
  decoding: (fraction) => 25 + 70 * fraction,
  saving: () => 98,
};

function percentOf(job: JobRecord): number {
  const { phase, step, total } = job.progress;
  const toPercent = phase ? PHASE_PERCENT[phase] : undefined;
  if (!toPercent) return 0;
  // A one-step decode (images) reports step 0: all sampling is behind it.
  const fraction = total > 0 && !(phase === "decoding" && step === 0) ? step / total : 1;
  return Math.round(toPercent(Math.min(1, fraction)) * 10) / 10;
}

/** The body of GET /status/{id} and of each `progress` event of /stream/status/{id}. */
export function legacyProgress(job: JobRecord): Static<typeof LegacyProgress> {
  const { step, total, info } = job.progress;
  const base = { job_id: legacyIdOf(job), status: legacyStatus(job) };
  if (job.status === "completed") {
    return {
      ...base,
      progress: 100,
      progress_step: total,
      progress_total: total,
      progress_info: "Finished",
    };
  }
  return {
    ...base,
    progress: percentOf(job),
    progress_step: step,
    progress_total: total,
    progress_info: job.status === "failed" ? `Failed: ${failureReason(job)}` : info,
  };
}

function truncatedPrompt(prompt: string): string {
  const characters = Array.from(prompt);
  return characters.length > 50 ? `${characters.slice(0, 50).join("")}...` : prompt;
}

/** One entry of GET /queue. */
export function queueEntry(job: JobRecord) {
  const progress = legacyProgress(job);
  const { data } = job;
  return {
    job_id: progress.job_id,
    status: progress.status,
    prompt: truncatedPrompt("prompt" in data ? data.prompt : (data.prompts[0] ?? "")),
    video_length: "video_length" in data ? data.video_length : 0,
    progress: progress.progress,
    progress_info: progress.progress_info,
    job_type: job.type,
  };
}
