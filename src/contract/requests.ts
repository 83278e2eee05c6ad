// Request schemas of the JSON API: the one source of validation, TypeScript types, the
// OpenAPI document and the request defaults (field names and defaults: docs/api.md §2).
// Each request gets its defaults once: ajv fills them while validating a JSON body (the
// API's type provider then types it `Resolved`), and the legacy form, which ajv does not
// see, applies withDefaults (./defaults.ts). Plans read every defaulted field as present.
import { Type, type Static, type TObject, type TSchema } from "typebox";

export const LIMITS = {
  promptLength: 4000,
  batchPrompts: 100,
  maxBatchSize: 8,
  maxSteps: 100,
  minSide: 64,
  maxSide: 2048,
  maxLoras: 8,
  maxVideoSeconds: 120,
  /** Entries of a video's section_prompts and of its keyframes. */
  maxVideoTimeline: 64,
  /** Images of one batch-images `count`. */
  maxCount: 64,
  /** base64 text of one image (about 15 MB decoded). */
  imageBase64Length: 20_000_000,
  /** Characters of one path parameter; a longer one is refused by the router (414). */
  pathParamLength: 100,
} as const;

/** A schema carrying a `default`, which Defaulted requires. */
type WithDefault<T extends TSchema> = T & { default: unknown };

/**
 * An optional field the validator fills from its schema's `default` when absent. The
 * default stays on the schema (the OpenAPI document shows it); `Resolved` types the field
 * as present.
 */
function Defaulted<T extends TSchema>(type: T) {
  if (!hasDefault(type)) throw new Error("Defaulted(): the schema has no default");
  return Type.Optional(type);
}

function hasDefault<T extends TSchema>(type: T): type is WithDefault<T> {
  return "default" in type;
}

/** The fields of a request schema that have a default. */
export type DefaultedKeys<S extends TObject> = {
  [K in keyof S["properties"]]: S["properties"][K] extends { default: unknown } ? K : never;
}[keyof S["properties"]];

/** A request with its defaults applied: every field with a default is present. */
export type Resolved<S extends TObject> = Static<S> &
  Required<Pick<Static<S>, DefaultedKeys<S> & keyof Static<S>>>;

const Prompt = Type.String({ minLength: 1, maxLength: LIMITS.promptLength });
const NegativePrompt = Type.String({ maxLength: LIMITS.promptLength, default: "" });
const Seed = Type.Integer({
  minimum: -1,
  maximum: 2 ** 32 - 1,
  default: -1,
  description: "-1 draws a random seed; the seed used is reported.",
});
const Steps = (fallback: number) =>
  Type.Integer({ minimum: 1, maximum: LIMITS.maxSteps, default: fallback });
const Cfg = Type.Number({
  minimum: 1,
  maximum: 32,
  default: 1,
  description: "Real CFG; 1 skips the negative prompt.",
});
const Side = (fallback: number) =>
  Type.Integer({
    minimum: LIMITS.minSide,
    maximum: LIMITS.maxSide,
    default: fallback,
    description: "Pixels; snapped to a multiple of 16.",
  });
const ImageData = Type.String({
  minLength: 1,
  maxLength: LIMITS.imageBase64Length,
  description: "An image as base64 or a data URI (PNG, JPEG, WebP).",
});

/** A LoRA's strength when the request names the LoRA without one. */
export const LORA_SCALE_DEFAULT = 1;
const LoraScale = Type.Number({ minimum: -4, maximum: 4, default: LORA_SCALE_DEFAULT });

const LoraFields = {
  lora_paths: Type.Optional(
    Type.Union([
      Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: LIMITS.maxLoras }),
      Type.Null(),
    ]),
  ),
  lora_scales: Type.Optional(
    Type.Union([Type.Array(LoraScale, { maxItems: LIMITS.maxLoras }), Type.Null()], {
      description: `One per LoRA in lora_paths; absent: each LoRA at ${LORA_SCALE_DEFAULT}.`,
    }),
  ),
};

const SamplerFields = {
  negative_prompt: Defaulted(NegativePrompt),
  cfg: Defaulted(Cfg),
  gs: Defaulted(
    Type.Number({ minimum: 0, maximum: 32, default: 10, description: "Distilled guidance." }),
  ),
  rs: Defaulted(Type.Number({ minimum: 0, maximum: 1, default: 0, description: "CFG rescale." })),
  shift: Defaulted(
    Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100 }), Type.Null()], {
      default: null,
      description: "Time shift; null = dynamic.",
    }),
  ),
  transformer: Defaulted(
    Type.Union([Type.Literal("base"), Type.Literal("f1")], { default: "base" }),
  ),
  priority: Defaulted(
    Type.Integer({ minimum: -10, maximum: 10, default: 0, description: "Higher runs earlier." }),
  ),
  ...LoraFields,
};

const LatentWindowSize = Type.Integer({ minimum: 1, maximum: 33, default: 9 });

/** Width and height left to the engine: the 640 bucket of `picture`, given together. */
const OptionalSide = (picture: string) =>
  Type.Optional(
    Type.Integer({
      minimum: LIMITS.minSide,
      maximum: LIMITS.maxSide,
      description: `Pixels, snapped to a multiple of 16; default: the ${picture}'s 640 bucket. Give width and height together.`,
    }),
  );

const OneFrameSteps = Steps(30);

const OneFrameFields = {
  input_image: Type.Optional(ImageData),
  latent_window_size: Defaulted(LatentWindowSize),
  target_index: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 64, description: "Default: latent_window_size." }),
  ),
  no_2x: Defaulted(Type.Boolean({ default: false })),
  no_4x: Defaulted(Type.Boolean({ default: false })),
  no_post: Defaulted(Type.Boolean({ default: false })),
};

/** What a one-frame image and a batch share: size, steps, sampler, layout. */
const OneFrameRequestFields = {
  steps: Defaulted(OneFrameSteps),
  width: Defaulted(Side(1216)),
  height: Defaulted(Side(704)),
  ...SamplerFields,
  ...OneFrameFields,
};

const strict = { additionalProperties: false } as const;

export const GenerateImageRequest = Type.Object(
  {
    prompt: Prompt,
    seed: Defaulted(Seed),
    ...OneFrameRequestFields,
  },
  strict,
);
export type GenerateImageRequest = Static<typeof GenerateImageRequest>;

export const BatchImagesRequest = Type.Object(
  {
    prompts: Type.Array(Prompt, { minItems: 1, maxItems: LIMITS.batchPrompts }),
    seeds: Type.Optional(
      Type.Union([
        Type.Array(Seed, { minItems: 1, maxItems: Math.max(LIMITS.batchPrompts, LIMITS.maxCount) }),
        Type.Null(),
      ]),
    ),
    count: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LIMITS.maxCount,
        description: "With one prompt: this many images of it, one per seed (seeds, or random).",
      }),
    ),
    batch_size: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: LIMITS.maxBatchSize,
        default: 4,
        description: "Images per forward pass.",
      }),
    ),
    target_indices: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: 64 }), {
        minItems: 1,
        maxItems: 64,
        description: "RoPE sweep: one prompt and seed rendered at each target index.",
      }),
    ),
    latent_window_sizes: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 33 }), {
        minItems: 1,
        maxItems: 64,
        description: "RoPE sweep: one prompt and seed rendered at each window size.",
      }),
    ),
    ...OneFrameRequestFields,
  },
  strict,
);
export type BatchImagesRequest = Static<typeof BatchImagesRequest>;

export const TransferImageRequest = Type.Object(
  {
    source_image: ImageData,
    target_image: ImageData,
    prompt: Prompt,
    transfer_strength: Defaulted(
      Type.Number({
        minimum: 0,
        maximum: 1,
        default: 0.7,
        description: "Scales the source latent.",
      }),
    ),
    seed: Defaulted(Seed),
    steps: Defaulted(OneFrameSteps),
    source_mask: Type.Optional(ImageData),
    target_mask: Type.Optional(ImageData),
    target_index: Defaulted(Type.Integer({ minimum: 0, maximum: 64, default: 1 })),
    control_index: Defaulted(Type.Integer({ minimum: 1, maximum: 64, default: 10 })),
    width: OptionalSide("target"),
    height: OptionalSide("target"),
    ...SamplerFields,
  },
  strict,
);
export type TransferImageRequest = Static<typeof TransferImageRequest>;

export const GenerateVideoRequest = Type.Object(
  {
    image: ImageData,
    prompt: Prompt,
    video_length: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: LIMITS.maxVideoSeconds,
        default: 5,
        description: "Seconds.",
      }),
    ),
    seed: Defaulted(Seed),
    steps: Defaulted(Steps(25)),
    latent_window_size: Defaulted(LatentWindowSize),
    sampling_mode: Defaulted(
      Type.Union([Type.Literal("reverse"), Type.Literal("forward")], {
        default: "reverse",
        description: "reverse = base model (anti-drifting), forward = F1.",
      }),
    ),
    use_teacache: Defaulted(Type.Boolean({ default: true })),
    width: OptionalSide("image"),
    height: OptionalSide("image"),
    mp4_crf: Defaulted(Type.Integer({ minimum: 0, maximum: 51, default: 16 })),
    gpu_memory_preservation: Defaulted(Type.Number({ minimum: 0, maximum: 128, default: 6 })),
    end_image: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.imageBase64Length,
        description: "Base model only (sampling_mode reverse): the video's last frame.",
      }),
    ),
    end_frame_strength: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        default: 1,
        description: "Scales the end image's latent; lower gives freer motion.",
      }),
    ),
    loop: Defaulted(
      Type.Boolean({
        default: false,
        description: "Base model only: the end image is the start image.",
      }),
    ),
    section_prompts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            start: Type.Number({
              minimum: 0,
              maximum: LIMITS.maxVideoSeconds,
              description: "Seconds into the video; snapped to the section grid.",
            }),
            prompt: Prompt,
          },
          strict,
        ),
        {
          maxItems: LIMITS.maxVideoTimeline,
          description: "Prompts from a time on, ascending; `prompt` covers what comes before.",
        },
      ),
    ),
    prompt_blend_sections: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 32,
        default: 0,
        description: "Sections before each prompt change that blend into the next prompt.",
      }),
    ),
    keyframes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            section: Type.Integer({
              minimum: 0,
              maximum: 1000,
              description: "Time-order section index, 0 = the first seconds.",
            }),
            image: ImageData,
          },
          strict,
        ),
        {
          maxItems: LIMITS.maxVideoTimeline,
          description: "Base model only: each section at most once.",
        },
      ),
    ),
    negative_prompt: Defaulted(NegativePrompt),
    cfg: Defaulted(Cfg),
    gs: SamplerFields.gs,
    rs: SamplerFields.rs,
    priority: SamplerFields.priority,
    ...LoraFields,
  },
  strict,
);
export type GenerateVideoRequest = Static<typeof GenerateVideoRequest>;

export const JobStatus = Type.Union([
  Type.Literal("pending"),
  Type.Literal("processing"),
  Type.Literal("completed"),
  Type.Literal("failed"),
  Type.Literal("cancelled"),
]);
export type JobStatus = Static<typeof JobStatus>;
export const TERMINAL_STATUSES: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export const JobType = Type.Union([
  Type.Literal("video"),
  Type.Literal("image"),
  Type.Literal("batch_image"),
  Type.Literal("image_transfer"),
]);
export type JobType = Static<typeof JobType>;

/** A point in time in a query: an ISO 8601 date, or a date and time with its zone. */
const Timestamp = (description: string) =>
  Type.String({
    pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$",
    maxLength: 40,
    description,
  });

/** GET /api/jobs: newest first, a page at a time, optionally filtered. */
export const JobListQuery = Type.Object(
  {
    status: Type.Optional(JobStatus),
    type: Type.Optional(JobType),
    since: Type.Optional(
      Timestamp("Only jobs created at or after this time (a date alone: its start, UTC)."),
    ),
    until: Type.Optional(
      Timestamp("Only jobs created before this time (a date alone: its start, UTC)."),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.promptLength,
        description:
          "Only jobs whose prompt (a batch: any of its prompts) contains this text; ASCII letters match in either case.",
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Defaulted(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  strict,
);

/** The requests jobs are made from: validated, every default present. */
export type ImageRequest = Resolved<typeof GenerateImageRequest>;
export type BatchRequest = Resolved<typeof BatchImagesRequest>;
export type TransferRequest = Resolved<typeof TransferImageRequest>;
export type VideoRequest = Resolved<typeof GenerateVideoRequest>;

/** Fields that carry pictures: stored as files, never kept in a job's record. */
export const IMAGE_FIELDS = [
  "input_image",
  "image",
  "source_image",
  "target_image",
  "source_mask",
  "target_mask",
  "end_image",
] as const;
type ImageField = (typeof IMAGE_FIELDS)[number];

/** A request as a job records it (the API's `data`): every field but the pictures. */
export type RecordedRequest =
  | Omit<ImageRequest, ImageField>
  | Omit<BatchRequest, ImageField>
  | Omit<TransferRequest, ImageField>
  | RecordedVideoRequest;

/** A video request as recorded: keyframes keep their sections, not their pictures. */
type RecordedVideoRequest = Omit<VideoRequest, ImageField | "keyframes"> & {
  keyframes?: { section: number }[];
};
