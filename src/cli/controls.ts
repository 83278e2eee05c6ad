// `--control FILE[:INDEX][:MASK]` of `image` and `batch`: 1f-mc control images
// (docs/api.md §2, docs/framepack.md §8.1), read from files into the request's
// `control_images`.
import { InvalidArgumentError, Option } from "commander";
import { readImage } from "./generation.js";
import { collect, integer } from "./values.js";

export interface ControlChoice {
  file: string;
  /** Absent: the server's default (0). */
  index?: number;
  mask?: string;
}

/** "FILE", "FILE:INDEX", "FILE:INDEX:MASK" or "FILE::MASK" (default index). */
export function control(raw: string): ControlChoice {
  const [file = "", index = "", ...mask] = raw.split(":");
  if (file === "") throw new InvalidArgumentError("expected FILE[:INDEX][:MASK], e.g. a.png:1.");
  const maskFile = mask.join(":");
  return {
    file,
    ...(index === "" ? {} : { index: integer(index) }),
    ...(maskFile === "" ? {} : { mask: maskFile }),
  };
}

export const controlOption = () =>
  new Option(
    "--control <file[:index][:mask]>",
    "a control image at a clean frame index (default 0), with an optional mask; repeatable",
  ).argParser(collect(control));

/** The request's `control_images`, nothing when no --control was given. */
export async function controlImages(choices: ControlChoice[] | undefined) {
  if (choices === undefined) return {};
  const controls = await Promise.all(
    choices.map(async ({ file, index, mask }) => ({
      image: await readImage(file),
      ...(index === undefined ? {} : { index }),
      ...(mask === undefined ? {} : { mask: await readImage(mask) }),
    })),
  );
  return { control_images: controls };
}
