// Continuing a video (docs/api.md §2, docs/framepack.md §7.10): the earlier job that
// `continue_from` names (a completed video the submitter may see) or the uploaded
// `continue_video`. Its files are stored among the new job's inputs, so that retention
// removing the earlier job cannot break the new one, and the plan names the copies.
import { invalidField, RequestError } from "../contract/errors.js";
import type { VideoRequest } from "../contract/requests.js";
import type { ArtifactStore } from "../artifacts/types.js";
import type { Continuation } from "../engine/protocol.js";
import type { JobRecord } from "../store/types.js";
import type { ImageLimits } from "./images.js";
import type { JobScope } from "./service.js";
import { decodeBase64Video } from "./videos.js";

/** What the engine writes for every video (docs/framepack.md §15). */
const EARLIER_VIDEO = "video.mp4";
const EARLIER_LATENTS = "latents.safetensors";
/** The copies among the new job's inputs. */
const CONTINUED_VIDEO = "continue.mp4";
const CONTINUED_LATENTS = "continue-latents.safetensors";
/** The `source` of a continued upload, as the result's metadata records it. */
const UPLOAD_SOURCE = "upload";

/** A job by id or short id, in a scope (JobService.find). */
export type FindJob = (id: string, scope: JobScope) => Promise<JobRecord | undefined>;

/**
 * The job `continue_from` names: another key's job reads as no job at all (tenancy), a
 * short id naming several jobs is refused like any other bad value of the field.
 */
export async function continuedJob(find: FindJob, id: string, scope: JobScope): Promise<JobRecord> {
  const job = await find(id, scope).catch((error: unknown) => {
    if (error instanceof RequestError && error.code === "ambiguous_id") {
      throw invalidField("continue_from", `${id} is the start of several job ids; give more`);
    }
    throw error;
  });
  if (!job) throw invalidField("continue_from", `there is no job ${id}`);
  if (job.type !== "video") {
    throw invalidField("continue_from", `job ${id} is a ${job.type} job, not a video`);
  }
  if (job.status !== "completed") {
    throw invalidField("continue_from", `job ${id} is ${job.status}; only a completed video`);
  }
  return job;
}

/** Copies the earlier job's MP4 and latent history into the new job's inputs. */
async function storeEarlier(
  artifacts: ArtifactStore,
  earlier: JobRecord,
  id: string,
): Promise<Continuation> {
  const [video, latents] = await Promise.all([
    artifacts.copyOutputToInput(earlier.id, EARLIER_VIDEO, id, CONTINUED_VIDEO),
    artifacts.copyOutputToInput(earlier.id, EARLIER_LATENTS, id, CONTINUED_LATENTS),
  ]);
  if (!video || !latents) {
    throw invalidField(
      "continue_from",
      `job ${earlier.id} kept no latent history (made before videos kept one, or its files were removed)`,
    );
  }
  return { source: earlier.id, video_path: video, latents_path: latents };
}

/**
 * The continuation of a video request, its files stored for job `id`; undefined for a
 * video from a start image. `earlier`: the job continue_from resolved to.
 */
export async function storeContinuation(
  request: VideoRequest,
  earlier: JobRecord | null,
  id: string,
  artifacts: ArtifactStore,
  limits: ImageLimits,
): Promise<Continuation | undefined> {
  if (earlier) return storeEarlier(artifacts, earlier, id);
  if (request.continue_video === undefined) return undefined;
  const { bytes } = decodeBase64Video("continue_video", request.continue_video, limits);
  const path = await artifacts.writeInput(id, CONTINUED_VIDEO, bytes);
  return { source: UPLOAD_SOURCE, video_path: path, latents_path: null };
}
