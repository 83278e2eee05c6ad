// The form of each job type: the request fields of docs/api.md §2, pre-filled with the
// defaults of the request schemas (src/contract/requests.ts, which need only typebox in the
// browser), with their ranges as hints (the server still validates everything). Defaults,
// ranges and choices are all read from the schemas; none is written here.
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  LORA_SCALE_DEFAULT,
  TransferImageRequest,
} from "../../../src/contract/requests";
import { defaultSizeOf, type Size } from "../../../src/contract/buckets";
import { schemaChoices, schemaRange, type JsonSchema } from "../api/schema";
import type { JobKind } from "../api/types";

type FieldKind = "text" | "int" | "number" | "select" | "bool" | "lines" | "intList" | "objects";

/** One property of the objects of an "objects" field (a column of its rows). */
export interface ColumnSpec {
  name: string;
  kind: "int" | "number" | "text" | "image";
  min?: number;
  max?: number;
}

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** The API default, pre-filled; absent = left empty (the server decides). */
  initial?: string | boolean;
  /** The range the API takes (an exclusive minimum is given as the bound itself). */
  min?: number;
  max?: number;
  options?: readonly string[];
  /** Shown under "More settings". */
  advanced?: boolean;
  /** A long text field. */
  multiline?: boolean;
  /** An "objects" field's properties: the list holds one object per row. */
  columns?: readonly ColumnSpec[];
}

/** A file the form sends as a data URI: a picture, or with `video` an MP4. */
export interface UploadSlot {
  name: "input_image" | "image" | "end_image" | "target_image" | "source_image" | "continue_video";
  required: boolean;
  /** An MP4 (F1: a video to continue): no size proposed, not filled by a paste elsewhere. */
  video?: boolean;
  /** A new picture here proposes the form's width and height (its nearest bucket). */
  proposesSize?: boolean;
  /** The mask field painted over this image, if any. */
  mask?: { name: "target_mask" | "source_mask"; role: "target" | "source" };
}

interface FormSpec {
  fields: readonly FieldSpec[];
  images: readonly UploadSlot[];
  /** The request's default size, whose area a proposed size keeps; none = FramePack's 640. */
  defaultSize?: Size;
}

const IMAGE = GenerateImageRequest.properties;
const BATCH = BatchImagesRequest.properties;
const TRANSFER = TransferImageRequest.properties;
const VIDEO = GenerateVideoRequest.properties;

/** The API default of a field, as the form holds it; none (or null) = left empty. */
function apiDefault(schema: JsonSchema): string | boolean | undefined {
  const value = schema.default;
  if (typeof value === "number") return String(value);
  return typeof value === "string" || typeof value === "boolean" ? value : undefined;
}

/** A field pre-filled with its schema's default, if it has one. */
const filled = (schema: JsonSchema) => {
  const initial = apiDefault(schema);
  return initial === undefined ? {} : { initial };
};
const int = (name: string, schema: JsonSchema): FieldSpec => ({
  name,
  kind: "int",
  ...schemaRange(schema),
  ...filled(schema),
});
const num = (name: string, schema: JsonSchema): FieldSpec => ({
  ...int(name, schema),
  kind: "number",
});
/** A list of integers (no default: absent unless typed), each in the range of the items. */
const intList = (name: string, schema: JsonSchema): FieldSpec => ({
  name,
  kind: "intList",
  ...schemaRange(schema),
});
const bool = (name: string, schema: JsonSchema): FieldSpec => ({
  name,
  kind: "bool",
  ...filled(schema),
});
const select = (name: string, schema: JsonSchema): FieldSpec => ({
  name,
  kind: "select",
  options: schemaChoices(schema),
  ...filled(schema),
});
const advanced = (field: FieldSpec): FieldSpec => ({ ...field, advanced: true });
/** A list of objects (rows added and removed by the person; none = absent). */
const objects = (name: string, columns: readonly ColumnSpec[]): FieldSpec => ({
  name,
  kind: "objects",
  columns,
});
const column = (name: string, kind: ColumnSpec["kind"], schema?: JsonSchema): ColumnSpec => ({
  name,
  kind,
  ...(schema ? schemaRange(schema) : {}),
});
const SECTION_PROMPT = VIDEO.section_prompts.items.properties;
const KEYFRAME = VIDEO.keyframes.items.properties;
const CONTROL = IMAGE.control_images.items.properties;

const prompt: FieldSpec = { name: "prompt", kind: "text", initial: "", multiline: true };
const negative: FieldSpec = {
  name: "negative_prompt",
  kind: "text",
  ...filled(IMAGE.negative_prompt),
  multiline: true,
  advanced: true,
};
const seed = int("seed", IMAGE.seed);
const cfg = num("cfg", IMAGE.cfg);
const gs = advanced(num("gs", IMAGE.gs));
const rs = advanced(num("rs", IMAGE.rs));
const shift = advanced(num("shift", IMAGE.shift));
const transformer = advanced(select("transformer", IMAGE.transformer));
const priority = advanced(int("priority", IMAGE.priority));
const latentWindow = (schema: JsonSchema) => advanced(int("latent_window_size", schema));
const oneFrameKnobs: FieldSpec[] = [
  gs,
  rs,
  shift,
  latentWindow(IMAGE.latent_window_size),
  advanced(int("target_index", IMAGE.target_index)),
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
      int("steps", IMAGE.steps),
      cfg,
      int("width", IMAGE.width),
      int("height", IMAGE.height),
      ...oneFrameKnobs,
      // 1f-mc: control images at clean frame indices, each with an optional mask.
      objects("control_images", [
        column("image", "image"),
        column("index", "int", CONTROL.index),
        column("mask", "image"),
      ]),
    ],
    images: [{ name: "input_image", required: false, proposesSize: true }],
    defaultSize: defaultSizeOf(GenerateImageRequest),
  },
  batch_image: {
    fields: [
      { name: "prompts", kind: "lines", initial: "", multiline: true },
      negative,
      { name: "seeds", kind: "intList", initial: "" },
      // N variations of one prompt (no default: absent unless typed).
      int("count", BATCH.count),
      int("batch_size", BATCH.batch_size),
      // A RoPE sweep: one prompt and seed at each target index, or each window size.
      advanced(intList("target_indices", BATCH.target_indices)),
      advanced(intList("latent_window_sizes", BATCH.latent_window_sizes)),
      int("steps", BATCH.steps),
      cfg,
      int("width", BATCH.width),
      int("height", BATCH.height),
      ...oneFrameKnobs,
    ],
    images: [{ name: "input_image", required: false, proposesSize: true }],
    defaultSize: defaultSizeOf(BatchImagesRequest),
  },
  image_transfer: {
    fields: [
      prompt,
      negative,
      num("transfer_strength", TRANSFER.transfer_strength),
      seed,
      int("steps", TRANSFER.steps),
      cfg,
      int("width", TRANSFER.width),
      int("height", TRANSFER.height),
      advanced(int("target_index", TRANSFER.target_index)),
      advanced(int("control_index", TRANSFER.control_index)),
      gs,
      rs,
      shift,
      transformer,
      priority,
    ],
    images: [
      {
        name: "target_image",
        required: true,
        proposesSize: true,
        mask: { name: "target_mask", role: "target" },
      },
      { name: "source_image", required: true, mask: { name: "source_mask", role: "source" } },
    ],
  },
  video: {
    fields: [
      prompt,
      negative,
      num("video_length", VIDEO.video_length),
      // F1 continues a finished video job (its id): the start image is optional then.
      { name: "continue_from", kind: "text" },
      seed,
      int("steps", VIDEO.steps),
      cfg,
      int("width", VIDEO.width),
      int("height", VIDEO.height),
      advanced(select("sampling_mode", VIDEO.sampling_mode)),
      advanced(select("cache", VIDEO.cache)),
      gs,
      rs,
      latentWindow(VIDEO.latent_window_size),
      // The end frame (base model): an end image, or the start image with loop.
      bool("loop", VIDEO.loop),
      // Timed prompts (seconds into the video) and keyframes (base model) per section.
      objects("section_prompts", [
        column("start", "number", SECTION_PROMPT.start),
        column("prompt", "text"),
      ]),
      objects("keyframes", [column("section", "int", KEYFRAME.section), column("image", "image")]),
      advanced(num("end_frame_strength", VIDEO.end_frame_strength)),
      advanced(int("prompt_blend_sections", VIDEO.prompt_blend_sections)),
      advanced(int("mp4_crf", VIDEO.mp4_crf)),
      advanced(num("gpu_memory_preservation", VIDEO.gpu_memory_preservation)),
      priority,
    ],
    images: [
      { name: "image", required: true, proposesSize: true },
      { name: "end_image", required: false },
      { name: "continue_video", required: false, video: true },
    ],
  },
};

/** A LoRA's scale (the LoRA picker): the API's range, and the scale a LoRA is added at. */
export const LORA_SCALE = {
  ...schemaRange(IMAGE.lora_scales),
  initial: String(LORA_SCALE_DEFAULT),
};
