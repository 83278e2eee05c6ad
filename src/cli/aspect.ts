// The size of a job when the command line gives none: the input picture's nearest bucket
// at the request's default area (src/contract/buckets.ts, as the studio's forms propose),
// so a portrait input is not cropped to the image default's landscape. The API itself
// keeps the contract's defaults; only the CLI and the page propose.
import sharp from "sharp";
import { proposedSize, type Size } from "../contract/buckets.js";
import { CliError } from "./errors.js";
import type { RequestBody } from "./request-flags.js";
import { say } from "./reporter.js";

/**
 * `body` with width and height of the picture at `path` proposed, unless there is no
 * picture or the flags gave either (the server then judges them as given). `defaultSize`: the request's default
 * size, if it has one (the image requests' 1216x704); without, FramePack's 640 buckets.
 */
export async function withProposedSize(
  body: RequestBody,
  path: string | undefined,
  defaultSize: Size | undefined,
  quiet: boolean,
): Promise<RequestBody> {
  if (path === undefined || body.width !== undefined || body.height !== undefined) return body;
  let picture: Size;
  try {
    const { width, height, orientation } = await sharp(path).metadata();
    // The size as shown: EXIF orientations 5 to 8 turn the picture a quarter, and the
    // service applies them too (src/jobs/images.ts).
    picture = (orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
  } catch (error) {
    throw new CliError(`cannot read the image ${path}: ${(error as Error).message}`);
  }
  const size = proposedSize(picture, defaultSize);
  if (!quiet) {
    say(
      `size ${String(size.width)}x${String(size.height)}: the nearest bucket of ${path} ` +
        `(${String(picture.width)}x${String(picture.height)}); --width and --height change it`,
    );
  }
  return { ...body, ...size };
}
