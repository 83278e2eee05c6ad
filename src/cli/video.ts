// `framepack video <image>`: a video from a start image (POST /api/generate-video).
import { unwrap, type GenerateVideoRequest } from "../client/index.js";
import {
  generationCommand,
  readImage,
  submitAndFollow,
  type GenerationOptions,
} from "./generation.js";
import { addRequestFlags, FLAGS, SAMPLING_FLAGS } from "./request-flags.js";

interface VideoOptions extends GenerationOptions {
  prompt: string;
}

export function videoCommand() {
  const command = generationCommand("video", "Generate a video from a start image")
    .argument("<image>", "the start image")
    .requiredOption("-p, --prompt <text>", "what happens");
  const requestFields = addRequestFlags(command, [
    FLAGS.seed,
    FLAGS.videoLength,
    FLAGS.latentWindowSize,
    FLAGS.samplingMode,
    FLAGS.noTeacache,
    FLAGS.mp4Crf,
    FLAGS.gpuMemoryPreservation,
    ...SAMPLING_FLAGS,
  ]);
  return command.action(async (image: string, options: VideoOptions) => {
    const body = {
      prompt: options.prompt,
      image: await readImage(image),
      ...requestFields(options as unknown as Record<string, unknown>),
    } as GenerateVideoRequest;
    await submitAndFollow(options, (client) =>
      unwrap(client.POST("/api/generate-video", { body })),
    );
  });
}
