// `framepack transfer`: kisekaeichi reference transfer (POST /api/transfer-image).
import { unwrap, type TransferImageRequest } from "../client/index.js";
import {
  generationCommand,
  readImage,
  submitAndFollow,
  type GenerationOptions,
} from "./generation.js";
import { withProposedSize } from "./aspect.js";
import { addRequestFlags, FLAGS, SAMPLING_FLAGS } from "./request-flags.js";

interface TransferOptions extends GenerationOptions {
  prompt: string;
  sourceMask?: string;
  targetMask?: string;
}

export function transferCommand() {
  const command = generationCommand(
    "transfer",
    "Change the target image with what the source (reference) image shows",
  )
    .argument("<source>", "the reference image to take from")
    .argument("<target>", "the image being changed")
    .requiredOption("-p, --prompt <text>", "what the result shows")
    .option("--source-mask <file>", "grayscale or alpha mask of the source")
    .option("--target-mask <file>", "grayscale or alpha mask of the target");
  const requestFields = addRequestFlags(command, [
    FLAGS.seed,
    FLAGS.transferStrength,
    FLAGS.targetIndex,
    FLAGS.controlIndex,
    FLAGS.shift,
    FLAGS.transformer,
    ...SAMPLING_FLAGS,
  ]);
  return command.action(async (source: string, target: string, options: TransferOptions) => {
    const masks = {
      ...(options.sourceMask ? { source_mask: await readImage(options.sourceMask) } : {}),
      ...(options.targetMask ? { target_mask: await readImage(options.targetMask) } : {}),
    };
    const body = {
      prompt: options.prompt,
      source_image: await readImage(source),
      target_image: await readImage(target),
      ...masks,
      // The target is the picture being changed: the result takes its aspect.
      ...(await withProposedSize(
        requestFields(options as unknown as Record<string, unknown>),
        target,
        undefined,
        options.json === true,
      )),
    } as TransferImageRequest;
    await submitAndFollow(options, (client, extras) =>
      unwrap(
        client.POST("/api/transfer-image", {
          body: { ...body, ...extras.fields },
          ...extras.request,
        }),
      ),
    );
  });
}
