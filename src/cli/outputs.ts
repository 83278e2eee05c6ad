// Downloading a finished job's files into a folder, named by job so runs never clash.
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { FramePackClient, QueuedJob } from "../client/index.js";

export function outputUrls(job: QueuedJob): string[] {
  const images = job.result?.images.map((image) => image.url) ?? [];
  const video = job.result?.video?.url;
  return video ? [...images, video] : images;
}

/** Writes each output as <dir>/<job id's first 8>-<file>; returns the paths written. */
export async function downloadOutputs(
  client: FramePackClient,
  job: QueuedJob,
  dir: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const url of outputUrls(job)) {
    const path = resolve(join(dir, `${job.id.slice(0, 8)}-${basename(url)}`));
    await writeFile(path, await client.download(url));
    paths.push(path);
  }
  return paths;
}
