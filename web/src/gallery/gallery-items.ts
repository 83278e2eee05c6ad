// What the gallery shows of finished jobs: each output file as one viewable item, labelled
// with its prompt (a batch: the item's own prompt and its place in the batch) and seed, and
// the parameters a job was run with (the seeds it used, not the -1 that asked for random).
import type { Job } from "../api/types";
import { usedSeeds } from "../generate/form-state";
import { jobTitle } from "../queue/JobCard";

export interface GalleryOutput {
  job: Job;
  kind: "image" | "video";
  url: string;
  width: number;
  height: number;
  seed: number;
  prompt: string;
  /** A batch image's place in its batch (0-based), as the API numbers items. */
  index: number | undefined;
}

/** Every output of the jobs, in their order (a job's video before its images). */
export function galleryOutputs(jobs: readonly Job[]): GalleryOutput[] {
  return jobs.flatMap((job) => {
    const items = job.batch_progress?.items ?? [];
    const video = job.result?.video;
    const videos: GalleryOutput[] = video
      ? [{ job, kind: "video", ...pick(video), prompt: jobTitle(job), index: undefined }]
      : [];
    const images = (job.result?.images ?? []).map((image, position): GalleryOutput => {
      // A batch's outputs name their item; older records only by their URL.
      const item =
        items.find((candidate) => candidate.index === image.index) ??
        items.find((candidate) => candidate.url === image.url);
      const index = job.type === "batch_image" ? (item?.index ?? position) : undefined;
      return { job, kind: "image", ...pick(image), prompt: item?.prompt ?? jobTitle(job), index };
    });
    return [...videos, ...images];
  });
}

function pick(output: { url: string; width: number; height: number; seed: number }) {
  const { url, width, height, seed } = output;
  return { url, width, height, seed };
}

/**
 * The job's parameters as shown: the request, with the seeds it used in place of the
 * requested ones; `random` lists the fields where the request asked for a random seed.
 */
export function shownParameters(job: Job): { data: Record<string, unknown>; random: Set<string> } {
  const used = usedSeeds(job);
  const random = new Set<string>();
  if (job.data.seed === -1 && "seed" in used) random.add("seed");
  const requestedSeeds = job.data.seeds;
  if ("seeds" in used && (!Array.isArray(requestedSeeds) || requestedSeeds.includes(-1)))
    random.add("seeds");
  return { data: { ...job.data, ...used }, random };
}
