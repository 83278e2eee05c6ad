// A video that resumes, yields or moves between hosts in tests: four short sections, and
// the digest of its frames to compare runs by.
import { expect } from "vitest";
import { mp4FramesDigest } from "./outputs.js";
import type { JobView } from "./service.js";

/** round(1.6 s * 30 / (4 * 3)) = 4 sections of a few steps each, on the tiny set. */
export const fourSectionVideo = (image: string, seed: number) => ({
  prompt: "it drifts",
  image,
  video_length: 1.6,
  latent_window_size: 3,
  steps: 3,
  seed,
  width: 64,
  height: 64,
  use_teacache: false,
  mp4_crf: 0, // lossless, so equal frames decode equal (see mp4FramesDigest)
});

/** The digest of a finished video's decoded frames (its MP4 bytes vary with the encoder's threads). */
export async function videoFramesOf(base: string, job: JobView): Promise<string> {
  expect(job.status, JSON.stringify(job.error)).toBe("completed");
  const response = await fetch(`${base}${job.result?.video?.url ?? ""}`);
  expect(response.status).toBe(200);
  return mp4FramesDigest(Buffer.from(await response.arrayBuffer()));
}
