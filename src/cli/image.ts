// `framepack image [input]`: one image (POST /api/generate-image).
import { unwrap, type GenerateImageRequest } from "../client/index.js";
import { defaultSizeOf } from "../contract/buckets.js";
import { GenerateImageRequest as ImageSchema } from "../contract/requests.js";
import { withProposedSize } from "./aspect.js";
import {
  generationCommand,
  readImage,
  submitAndFollow,
  type GenerationOptions,
} from "./generation.js";
import { controlImages, controlOption, type ControlChoice } from "./controls.js";
import { addRequestFlags, FLAGS, ONE_FRAME_FLAGS, SAMPLING_FLAGS } from "./request-flags.js";

interface ImageOptions extends GenerationOptions {
  prompt: string;
  control?: ControlChoice[];
}

export function imageCommand() {
  const command = generationCommand(
    "image",
    "Generate one image, from the prompt alone or conditioned on an input image",
  )
    .argument("[input]", "input image file (PNG, JPEG, WebP); absent = text only")
    .requiredOption("-p, --prompt <text>", "what to draw")
    .addOption(controlOption());
  const requestFields = addRequestFlags(command, [
    FLAGS.seed,
    ...SAMPLING_FLAGS,
    ...ONE_FRAME_FLAGS,
  ]);
  return command.action(async (input: string | undefined, options: ImageOptions) => {
    const fields = requestFields(options as unknown as Record<string, unknown>);
    const quiet = options.json === true;
    const body = {
      prompt: options.prompt,
      ...(await withProposedSize(fields, input, defaultSizeOf(ImageSchema), quiet)),
      ...(input === undefined ? {} : { input_image: await readImage(input) }),
      ...(await controlImages(options.control)),
    } as GenerateImageRequest;
    await submitAndFollow(options, (client, extras) =>
      unwrap(
        client.POST("/api/generate-image", {
          body: { ...body, ...extras.fields },
          ...extras.request,
        }),
      ),
    );
  });
}
