// `framepack video <image>`: a video from a start image (POST /api/generate-video).
import { unwrap, type GenerateVideoRequest } from "../client/index.js";
import {
  generationCommand,
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
  const command = generationCommand("video", "Generate a video from a start image")
    .argument("<image>", "the start image")
    .requiredOption("-p, --prompt <text>", "what happens")
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
  return command.action(async (image: string, options: VideoOptions) => {
    const body = {
      prompt: options.prompt,
      image: await readImage(image),
      ...(await withProposedSize(
        requestFields(options as unknown as Record<string, unknown>),
        image,
        undefined,
        options.json === true,
      )),
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
