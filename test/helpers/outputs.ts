// Checks that output files are whole: PNGs decode to the last pixel, MP4s have every
// top-level box complete with the index (moov) present, and no temp file is left.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { enginePython, loadConfig } from "../../src/config.js";

/** Every file under <dataDir>/jobs/<job>/outputs, by job id. */
export function outputFiles(dataDir: string): Map<string, string[]> {
  const root = join(dataDir, "jobs");
  const found = new Map<string, string[]>();
  for (const job of readdirSync(root, { withFileTypes: true })) {
    if (!job.isDirectory()) continue;
    const dir = join(root, job.name, "outputs");
    const names = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile());
    found.set(
      job.name,
      names.map((entry) => join(dir, entry.name)),
    );
  }
  return found;
}

/** Throws unless the PNG decodes completely (a truncated file fails the decode). */
export async function assertWholePng(path: string): Promise<void> {
  await sharp(readFileSync(path), { failOn: "truncated" }).raw().toBuffer();
}

/** The top-level boxes of an MP4 file, in order; throws when one runs past the end. */
export function mp4Boxes(file: Buffer): string[] {
  const boxes: string[] = [];
  let offset = 0;
  while (offset < file.length) {
    if (offset + 8 > file.length) throw new Error(`a box header is cut at byte ${offset}`);
    const type = file.toString("latin1", offset + 4, offset + 8);
    let size = file.readUInt32BE(offset);
    if (size === 1) size = Number(file.readBigUInt64BE(offset + 8)); // 64-bit size follows
    if (size === 0) size = file.length - offset; // "to the end of the file"
    if (size < 8 || offset + size > file.length) {
      throw new Error(`box ${type} at byte ${offset} claims ${size} bytes past the file's end`);
    }
    boxes.push(type);
    offset += size;
  }
  return boxes;
}

/** Throws unless the MP4 is whole: ftyp first, then a complete moov and mdat. */
export function assertWholeMp4(path: string): void {
  const boxes = mp4Boxes(readFileSync(path));
  if (boxes[0] !== "ftyp" || !boxes.includes("moov") || !boxes.includes("mdat")) {
    throw new Error(`${path}: boxes ${boxes.join(",")} lack ftyp first, moov or mdat`);
  }
}

/** The engine's temp names: ".<name>.<random>.tmp", renamed away once whole. */
export const isTempOutput = (path: string): boolean => /\/\.[^/]+\.tmp$/.test(path);

const FRAMES_DIGEST = [
  "import av, hashlib, sys",
  "digest = hashlib.sha256()",
  "with av.open(sys.stdin.buffer) as container:",
  "    for frame in container.decode(video=0):",
  "        digest.update(frame.to_ndarray(format='rgb24').tobytes())",
  "print(digest.hexdigest())",
].join("\n");

/**
 * sha256 of an MP4's decoded RGB frames (with the engine's PyAV). The H.264 encoder's
 * bytes vary between runs of the same frames (its threads); decoded lossless (crf 0)
 * frames do not, so two videos made of the same frames have the same digest.
 */
export function mp4FramesDigest(mp4: Buffer): string {
  const python = enginePython(loadConfig({}));
  return execFileSync(python, ["-c", FRAMES_DIGEST], { input: mp4, encoding: "utf8" }).trim();
}
