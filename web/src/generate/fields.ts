// The form of each job type: the fields of shared/docs/api.md §1 with their defaults
// and ranges (the same as src/api/schemas.ts). The server still validates everything;
// the ranges here are hints.
import type { JobKind } from "../api/types";
import type { MessageKey } from "../i18n";

export type FieldKind = "text" | "int" | "number" | "select" | "bool" | "lines" | "intList";

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** The API default, pre-filled; absent = left empty (the server decides). */
  initial?: string | boolean;
  min?: number;
  max?: number;
  step?: number;
  options?: readonly string[];
  /** Shown under "More settings". */
  advanced?: boolean;
  /** A long text field. */
  multiline?: boolean;
}

export interface ImageSlot {
  name: "input_image" | "image" | "target_image" | "source_image";
  required: boolean;
  /** The mask field painted over this image, if any. */
  mask?: { name: "target_mask" | "source_mask"; role: "target" | "source" };
}

export interface FormSpec {
  fields: readonly FieldSpec[];
  images: readonly ImageSlot[];
}

const int = (name: string, initial: number | undefined, min: number, max: number) =>
  ({
    name,
    kind: "int",
    min,
    max,
    ...(initial === undefined ? {} : { initial: String(initial) }),
  }) satisfies FieldSpec;
const num = (name: string, initial: number | undefined, min: number, max: number, step: number) =>
  ({ ...int(name, initial, min, max), kind: "number", step }) satisfies FieldSpec;
const advanced = (field: FieldSpec): FieldSpec => ({ ...field, advanced: true });

const prompt: FieldSpec = { name: "prompt", kind: "text", initial: "", multiline: true };
const negative: FieldSpec = {
  name: "negative_prompt",
  kind: "text",
  initial: "",
  multiline: true,
  advanced: true,
};
const seed = int("seed", -1, -1, 2 ** 32 - 1);
const steps = (initial: number) => int("steps", initial, 1, 100);
const cfg = num("cfg", 1, 1, 32, 0.1);
const side = (name: "width" | "height", initial: number | undefined) => ({
  ...int(name, initial, 64, 2048),
  step: 16,
});
const gs = advanced(num("gs", 10, 0, 32, 0.1));
const rs = advanced(num("rs", 0, 0, 1, 0.05));
const shift = advanced(num("shift", undefined, 0, 100, 0.1));
const transformer = advanced({
  name: "transformer",
  kind: "select",
  initial: "base",
  options: ["base", "f1"],
});
const priority = advanced(int("priority", 0, -10, 10));
const latentWindow = advanced(int("latent_window_size", 9, 1, 33));
const oneFrameKnobs: FieldSpec[] = [
  gs,
  rs,
  shift,
  latentWindow,
  advanced(int("target_index", undefined, 0, 64)),
  advanced({ name: "no_2x", kind: "bool", initial: false }),
  advanced({ name: "no_4x", kind: "bool", initial: false }),
  advanced({ name: "no_post", kind: "bool", initial: false }),
  transformer,
  priority,
];

export const FORMS: Record<JobKind, FormSpec> = {
  image: {
    fields: [
      prompt,
      negative,
      seed,
      steps(30),
      cfg,
      side("width", 1216),
      side("height", 704),
      ...oneFrameKnobs,
    ],
    images: [{ name: "input_image", required: false }],
  },
  batch_image: {
    fields: [
      { name: "prompts", kind: "lines", initial: "", multiline: true },
      negative,
      { name: "seeds", kind: "intList", initial: "" },
      int("batch_size", 4, 1, 8),
      steps(30),
      cfg,
      side("width", 1216),
      side("height", 704),
      ...oneFrameKnobs,
    ],
    images: [{ name: "input_image", required: false }],
  },
  image_transfer: {
    fields: [
      prompt,
      negative,
      num("transfer_strength", 0.7, 0, 1, 0.05),
      seed,
      steps(30),
      cfg,
      side("width", undefined),
      side("height", undefined),
      advanced(int("target_index", 1, 0, 64)),
      advanced(int("control_index", 10, 1, 64)),
      gs,
      rs,
      shift,
      transformer,
      priority,
    ],
    images: [
      { name: "target_image", required: true, mask: { name: "target_mask", role: "target" } },
      { name: "source_image", required: true, mask: { name: "source_mask", role: "source" } },
    ],
  },
  video: {
    fields: [
      prompt,
      negative,
      num("video_length", 5, 0.1, 120, 0.1),
      seed,
      steps(25),
      cfg,
      side("width", undefined),
      side("height", undefined),
      advanced({
        name: "sampling_mode",
        kind: "select",
        initial: "reverse",
        options: ["reverse", "forward"],
      }),
      advanced({ name: "use_teacache", kind: "bool", initial: true }),
      gs,
      rs,
      latentWindow,
      advanced(int("mp4_crf", 16, 0, 51)),
      advanced(num("gpu_memory_preservation", 6, 0, 128, 0.5)),
      priority,
    ],
    images: [{ name: "image", required: true }],
  },
};

export function fieldLabel(name: string): MessageKey {
  return (name === "prompts" ? "field.prompts" : `field.${name}`) as MessageKey;
}
