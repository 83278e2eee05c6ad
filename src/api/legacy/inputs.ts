// What the legacy routes read of a job's files: its video output and its input image
// (served as JPEG and as a small data-URI thumbnail, as the original did).
import sharp from "sharp";
import type { ArtifactStore } from "../../artifacts/types.js";
import type { JobRecord } from "../../store/types.js";
import { fileSize } from "./files.js";

const THUMBNAIL_SIDE = 256;

/** The job's finished video file and its size, when it has one on disk. */
export async function videoFileOf(
  job: JobRecord,
  artifacts: ArtifactStore,
): Promise<{ path: string; size: number } | undefined> {
  if (job.status !== "completed") return undefined;
  const video = job.result?.outputs.find((output) => output.kind === "video");
  const path = video ? await artifacts.readableOutput(video.key) : undefined;
  const size = path === undefined ? undefined : await fileSize(path);
  return path !== undefined && size !== undefined ? { path, size } : undefined;
}

/** The stored PNG of the job's (start or target) image; the plan holds its path. */
function inputImagePath({ plan }: JobRecord): string | undefined {
  return (plan.kind === "transfer" ? plan.target_image_path : plan.input_image_path) ?? undefined;
}

/** The input image as JPEG, or undefined when the job has none (left). */
export async function inputImageJpeg(job: JobRecord): Promise<Buffer | undefined> {
  const path = inputImagePath(job);
  if (!path || (await fileSize(path)) === undefined) return undefined;
  return sharp(path).flatten({ background: "#ffffff" }).jpeg({ quality: 90 }).toBuffer();
}

/** `data:image/jpeg;base64,...` of the input image, at most 256 px a side; null without one. */
export async function inputThumbnail(job: JobRecord): Promise<string | null> {
  const path = inputImagePath(job);
  if (!path || (await fileSize(path)) === undefined) return null;
  const jpeg = await sharp(path)
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 80 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
}
