// `framepack batch`: many images in one job (POST /api/batch-images), also RoPE sweeps.
import { readFile } from "node:fs/promises";
import { unwrap, type BatchImagesRequest } from "../client/index.js";
import { defaultSizeOf } from "../contract/buckets.js";
import { BatchImagesRequest as BatchSchema } from "../contract/requests.js";
import { withProposedSize } from "./aspect.js";
import { CliError } from "./errors.js";
import {
  generationCommand,
  readImage,
  submitAndFollow,
  type GenerationOptions,
} from "./generation.js";
import { controlImages, controlOption, type ControlChoice } from "./controls.js";
import { addRequestFlags, FLAGS, ONE_FRAME_FLAGS, SAMPLING_FLAGS } from "./request-flags.js";
import { collect } from "./values.js";

interface BatchOptions extends GenerationOptions {
  prompt?: string[];
  promptsFile?: string;
  input?: string;
  control?: ControlChoice[];
}

/** --prompt flags first, then the file's non-empty lines. */
async function prompts(options: BatchOptions): Promise<string[]> {
  const fromFile = options.promptsFile
    ? (await readFile(options.promptsFile, "utf8")).split(/\r?\n/).filter((line) => line.trim())
    : [];
  const all = [...(options.prompt ?? []), ...fromFile];
  if (all.length === 0) throw new CliError("give at least one --prompt or a --prompts-file");
  return all;
}

export function batchCommand() {
  const command = generationCommand(
    "batch",
    "Generate one image per prompt in one job (or one prompt across --target-indices / --latent-window-sizes)",
  )
    .option("-p, --prompt <text>", "a prompt; repeatable", collect(String))
    .option("--prompts-file <file>", "a text file with one prompt a line")
    .option("--input <file>", "one input image for every prompt")
    .addOption(controlOption());
  const requestFields = addRequestFlags(command, [
    FLAGS.seeds,
    FLAGS.count,
    FLAGS.batchSize,
    FLAGS.targetIndices,
    FLAGS.latentWindowSizes,
    ...SAMPLING_FLAGS,
    ...ONE_FRAME_FLAGS,
  ]);
  return command.action(async (options: BatchOptions) => {
    const body = {
      prompts: await prompts(options),
      ...(await withProposedSize(
        requestFields(options as unknown as Record<string, unknown>),
        options.input,
        defaultSizeOf(BatchSchema),
        options.json === true,
      )),
      ...(options.input === undefined ? {} : { input_image: await readImage(options.input) }),
      ...(await controlImages(options.control)),
    } as BatchImagesRequest;
    await submitAndFollow(
      options,
      (client, extras) =>
        unwrap(
          client.POST("/api/batch-images", {
            body: { ...body, ...extras.fields },
            ...extras.request,
          }),
        ),
      {
        batch: true,
      },
    );
  });
}
