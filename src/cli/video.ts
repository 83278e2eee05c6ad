// `framepack video [image]`: a video from a start image, or continuing an earlier video
// with F1 (POST /api/generate-video; docs/api.md §2).
import { unwrap, type GenerateVideoRequest } from "../client/index.js";
import { CliError } from "./errors.js";
import {
  generationCommand,
  readBase64,
  readImage,
  submitAndFollow,
  type GenerationOptions,
} from "./generation.js";
import { InvalidArgumentError } from "commander";
import { withProposedSize } from "./aspect.js";
import { addRequestFlags, FLAGS, SAMPLING_FLAGS } from "./request-flags.js";
import { collect, integer } from "./values.js";

interface VideoOptions extends GenerationOptions {
  prompt: string;
  endImage?: string;
  keyframe?: { section: number; file: string }[];
  continue?: string;
  continueVideo?: string;
}

/** The continuation fields of --continue or --continue-video; continuing is F1's. */
async function continuation(options: VideoOptions): Promise<Record<string, string> | undefined> {
  if (options.continue !== undefined && options.continueVideo !== undefined) {
    throw new CliError("give --continue or --continue-video, not both");
  }
  if (options.continue !== undefined) {
    return { continue_from: options.continue, sampling_mode: "forward" };
  }
  if (options.continueVideo === undefined) return undefined;
  const video = await readBase64(options.continueVideo, "video");
  return { continue_video: video, sampling_mode: "forward" };
}

/** "SECTION=FILE" -> a keyframe for time-order section SECTION. */
function keyframe(raw: string): { section: number; file: string } {
  const equals = raw.indexOf("=");
  if (equals <= 0 || equals === raw.length - 1) {
    throw new InvalidArgumentError("expected SECTION=FILE, e.g. 2=pose.png.");
  }
  return { section: integer(raw.slice(0, equals)), file: raw.slice(equals + 1) };
}

export function videoCommand() {
  const command = generationCommand("video", "Generate a video from a start image, or continue one")
    .argument("[image]", "the start image (optional when continuing)")
    .requiredOption("-p, --prompt <text>", "what happens")
    .option(
      "--continue <job>",
      "continue a completed F1 video job (id or short id) by --video-length",
    )
    .option("--continue-video <file>", "continue an MP4 file with F1 by --video-length")
    .option("--end-image <file>", "the last frame (base model)")
    .option(
      "--keyframe <section=file>",
      "an image for a time-order section, 0 = the first (base model); repeatable",
      collect(keyframe),
    );
  const requestFields = addRequestFlags(command, [
    FLAGS.seed,
    FLAGS.videoLength,
    FLAGS.latentWindowSize,
    FLAGS.samplingMode,
    FLAGS.cache,
    FLAGS.noTeacache,
    FLAGS.mp4Crf,
    FLAGS.gpuMemoryPreservation,
    FLAGS.endStrength,
    FLAGS.loop,
    FLAGS.sectionPrompts,
    FLAGS.promptBlendSections,
    ...SAMPLING_FLAGS,
  ]);
  return command.action(async (image: string | undefined, options: VideoOptions) => {
    const continued = await continuation(options);
    if (image === undefined && continued === undefined) {
      throw new CliError("give a start image, or --continue JOB or --continue-video FILE");
    }
    const fields = requestFields(options as unknown as Record<string, unknown>);
    const body = {
      prompt: options.prompt,
      ...(image === undefined ? {} : { image: await readImage(image) }),
      // A continued video keeps the earlier one's size: no size is proposed for it.
      ...(continued === undefined
        ? await withProposedSize(fields, image, undefined, options.json === true)
        : { ...continued, ...fields }),
      ...(options.endImage === undefined ? {} : { end_image: await readImage(options.endImage) }),
      ...(options.keyframe === undefined
        ? {}
        : {
            keyframes: await Promise.all(
              options.keyframe.map(async ({ section, file }) => ({
                section,
                image: await readImage(file),
              })),
            ),
          }),
    } as GenerateVideoRequest;
    await submitAndFollow(options, (client, extras) =>
      unwrap(
        client.POST("/api/generate-video", {
          body: { ...body, ...extras.fields },
          ...extras.request,
        }),
      ),
    );
  });
}
