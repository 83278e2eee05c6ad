// Downloading a finished job's files into a folder, named by job so runs never clash:
// <job id's first 8>-<file name>, of [A-Za-z0-9._-] only. Each file is written as
// <name>.part and renamed once whole, so a cut download never looks complete. A file
// already there is never overwritten: the same bytes are taken as saved, different
// ones get the next free name-1.ext, name-2.ext, ...
import { rmSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import type { FramePackClient, QueuedJob } from "../client/index.js";

export function outputUrls(job: QueuedJob): string[] {
  const images = job.result?.images.map((image) => image.url) ?? [];
  const video = job.result?.video?.url;
  return video ? [...images, video] : images;
}

export interface Downloads {
  saved: string[];
  failed: { url: string; error: unknown }[];
}

/** The .part files being written. Module state, as a signal handler has no other way in. */
const unfinished = new Set<string>();

/** Removes the .part files of downloads under way (on Ctrl-C, just before exiting). */
export function removeUnfinishedDownloads(): void {
  for (const path of unfinished) rmSync(path, { force: true });
  unfinished.clear();
}

/** Anything outside [A-Za-z0-9._-] as "_": names come from the server. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** The path to save `bytes` at, and whether those bytes are there already. */
async function freePath(
  path: string,
  bytes: Uint8Array,
): Promise<{ path: string; there: boolean }> {
  const extension = extname(path);
  const stem = path.slice(0, path.length - extension.length);
  for (let suffix = 0; ; suffix++) {
    const candidate = suffix === 0 ? path : `${stem}-${suffix}${extension}`;
    const existing = await readFile(candidate).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    });
    if (!existing) return { path: candidate, there: false };
    if (existing.equals(bytes)) return { path: candidate, there: true };
  }
}

async function saveOutput(client: FramePackClient, url: string, name: string): Promise<string> {
  const bytes = await client.download(url);
  const { path, there } = await freePath(name, bytes);
  if (there) return path;
  const part = `${path}.part`;
  unfinished.add(part);
  try {
    await writeFile(part, bytes);
    await rename(part, path);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  } finally {
    unfinished.delete(part);
  }
  return path;
}

/** Downloads every output of the job; one that fails does not stop the others. */
export async function downloadOutputs(
  client: FramePackClient,
  job: QueuedJob,
  jobId: string,
  dir: string,
): Promise<Downloads> {
  await mkdir(dir, { recursive: true });
  const downloads: Downloads = { saved: [], failed: [] };
  for (const url of outputUrls(job)) {
    try {
      const file = basename(new URL(url, "http://service/").pathname);
      const name = resolve(join(dir, safeName(`${jobId.slice(0, 8)}-${file}`)));
      downloads.saved.push(await saveOutput(client, url, name));
    } catch (error) {
      downloads.failed.push({ url, error });
    }
  }
  return downloads;
}
