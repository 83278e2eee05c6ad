// The form of each job type: the fields of shared/docs/api.md §1, pre-filled with the
// defaults of the request schemas (src/contract/requests.ts, which need only typebox in the
// browser), with ranges as hints (the server still validates everything).
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  TransferImageRequest,
} from "../../../src/contract/requests";
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

const IMAGE = GenerateImageRequest.properties;
const BATCH = BatchImagesRequest.properties;
const TRANSFER = TransferImageRequest.properties;
const VIDEO = GenerateVideoRequest.properties;

/** The API default of a field, from its schema; none (or null) = left empty. */
function apiDefault(schema: object): string | boolean | undefined {
  const value: unknown = "default" in schema ? schema.default : undefined;
  if (typeof value === "number") return String(value);
  return typeof value === "string" || typeof value === "boolean" ? value : undefined;
}

/** A field pre-filled with its schema's default, if it has one. */
const filled = (schema: object) => {
  const initial = apiDefault(schema);
  return initial === undefined ? {} : { initial };
};
const int = (name: string, schema: object, min: number, max: number) =>
  ({ name, kind: "int", min, max, ...filled(schema) }) satisfies FieldSpec;
const num = (name: string, schema: object, min: number, max: number, step: number) =>
  ({ ...int(name, schema, min, max), kind: "number", step }) satisfies FieldSpec;
const bool = (name: string, schema: object): FieldSpec => ({
  name,
  kind: "bool",
  ...filled(schema),
});
const select = (name: string, schema: object, options: readonly string[]): FieldSpec => ({
  name,
  kind: "select",
  options,
  ...filled(schema),
});
const advanced = (field: FieldSpec): FieldSpec => ({ ...field, advanced: true });

const prompt: FieldSpec = { name: "prompt", kind: "text", initial: "", multiline: true };
const negative: FieldSpec = {
  name: "negative_prompt",
  kind: "text",
  ...filled(IMAGE.negative_prompt),
  multiline: true,
  advanced: true,
};
const seed = int("seed", IMAGE.seed, -1, 2 ** 32 - 1);
const steps = (schema: object) => int("steps", schema, 1, 100);
const cfg = num("cfg", IMAGE.cfg, 1, 32, 0.1);
const side = (name: "width" | "height", schema: object) => ({
  ...int(name, schema, 64, 2048),
  step: 16,
});
const gs = advanced(num("gs", IMAGE.gs, 0, 32, 0.1));
const rs = advanced(num("rs", IMAGE.rs, 0, 1, 0.05));
const shift = advanced(num("shift", IMAGE.shift, 0, 100, 0.1));
const transformer = advanced(select("transformer", IMAGE.transformer, ["base", "f1"]));
const priority = advanced(int("priority", IMAGE.priority, -10, 10));
const latentWindow = (schema: object) => advanced(int("latent_window_size", schema, 1, 33));
const oneFrameKnobs: FieldSpec[] = [
  gs,
  rs,
  shift,
  latentWindow(IMAGE.latent_window_size),
  advanced(int("target_index", IMAGE.target_index, 0, 64)),
  advanced(bool("no_2x", IMAGE.no_2x)),
  advanced(bool("no_4x", IMAGE.no_4x)),
  advanced(bool("no_post", IMAGE.no_post)),
  transformer,
  priority,
];

export const FORMS: Record<JobKind, FormSpec> = {
  image: {
    fields: [
      prompt,
      negative,
      seed,
      steps(IMAGE.steps),
      cfg,
      side("width", IMAGE.width),
      side("height", IMAGE.height),
      ...oneFrameKnobs,
    ],
    images: [{ name: "input_image", required: false }],
  },
  batch_image: {
    fields: [
      { name: "prompts", kind: "lines", initial: "", multiline: true },
      negative,
      { name: "seeds", kind: "intList", initial: "" },
      int("batch_size", BATCH.batch_size, 1, 8),
      // A RoPE sweep: one prompt and seed at each target index, or each window size.
      advanced({ name: "target_indices", kind: "intList", min: 0, max: 64 }),
      advanced({ name: "latent_window_sizes", kind: "intList", min: 1, max: 33 }),
      steps(BATCH.steps),
      cfg,
      side("width", BATCH.width),
      side("height", BATCH.height),
      ...oneFrameKnobs,
    ],
    images: [{ name: "input_image", required: false }],
  },
  image_transfer: {
    fields: [
      prompt,
      negative,
      num("transfer_strength", TRANSFER.transfer_strength, 0, 1, 0.05),
      seed,
      steps(TRANSFER.steps),
      cfg,
      side("width", TRANSFER.width),
      side("height", TRANSFER.height),
      advanced(int("target_index", TRANSFER.target_index, 0, 64)),
      advanced(int("control_index", TRANSFER.control_index, 1, 64)),
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
      num("video_length", VIDEO.video_length, 0.1, 120, 0.1),
      seed,
      steps(VIDEO.steps),
      cfg,
      side("width", VIDEO.width),
      side("height", VIDEO.height),
      advanced(select("sampling_mode", VIDEO.sampling_mode, ["reverse", "forward"])),
      advanced(bool("use_teacache", VIDEO.use_teacache)),
      gs,
      rs,
      latentWindow(VIDEO.latent_window_size),
      advanced(int("mp4_crf", VIDEO.mp4_crf, 0, 51)),
      advanced(num("gpu_memory_preservation", VIDEO.gpu_memory_preservation, 0, 128, 0.5)),
      priority,
    ],
    images: [{ name: "image", required: true }],
  },
};

export function fieldLabel(name: string): MessageKey {
  return (name === "prompts" ? "field.prompts" : `field.${name}`) as MessageKey;
}
