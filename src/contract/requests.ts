// Request schemas of the JSON API: the one source of validation, TypeScript types, the
// OpenAPI document and the request defaults (field names and defaults: docs/api.md §2).
// Each request gets its defaults once: ajv fills them while validating a JSON body (the
// API's type provider then types it `Resolved`), and the legacy form, which ajv does not
// see, applies withDefaults (./defaults.ts). Plans read every defaulted field as present.
// Every field carries a description (test/openapi.test.ts insists): the OpenAPI document
// shows it, and the web page may show it as the field's help.
import { Type, type Static, type TObject, type TSchema } from "typebox";
import { BATCH_EXAMPLE, IMAGE_EXAMPLE, TRANSFER_EXAMPLE, VIDEO_EXAMPLE } from "./examples.js";

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
  /** Control images of one 1f-mc request (docs/framepack.md §8.1). */
  maxControlImages: 8,
  /** base64 text of one image (about 15 MB decoded). */
  imageBase64Length: 20_000_000,
  /** base64 text of a video to continue (`continue_video`), as for an image. */
  videoBase64Length: 20_000_000,
  /** Frames of a video to continue: the longest video made here (120 s at 30 fps). */
  maxContinueFrames: 3600,
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

/** A job's `priority`: at submission and when changed (PATCH /api/jobs/{id}). */
const PRIORITY_RANGE = { minimum: -10, maximum: 10 } as const;
const Prompt = Type.String({
  minLength: 1,
  maxLength: LIMITS.promptLength,
  description: "What to generate: the picture, or for a video the motion.",
});
const NegativePrompt = Type.String({
  maxLength: LIMITS.promptLength,
  default: "",
  description: "What to avoid; used only when cfg > 1.",
});
const Seed = Type.Integer({
  minimum: -1,
  maximum: 2 ** 32 - 1,
  default: -1,
  description: "-1 draws a random seed; the seed used is reported.",
});
const Steps = (fallback: number) =>
  Type.Integer({
    minimum: 1,
    maximum: LIMITS.maxSteps,
    default: fallback,
    description: "Sampling steps: more is slower and usually cleaner.",
  });
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
/** An image field: base64 or a data URI (PNG, JPEG, WebP); `role` says what it is for. */
const ImageData = (role: string) =>
  Type.String({
    minLength: 1,
    maxLength: LIMITS.imageBase64Length,
    description: `${role}, as base64 or a data URI (PNG, JPEG, WebP).`,
  });

/** A LoRA's strength when the request names the LoRA without one. */
export const LORA_SCALE_DEFAULT = 1;
const LoraScale = Type.Number({
  minimum: -4,
  maximum: 4,
  default: LORA_SCALE_DEFAULT,
  description: "The strength of one LoRA.",
});

const LoraFields = {
  lora_paths: Type.Optional(
    Type.Union(
      [
        Type.Array(
          Type.String({
            minLength: 1,
            maxLength: 255,
            description: "A .safetensors file name inside the server's LoRA folder.",
          }),
          { maxItems: LIMITS.maxLoras },
        ),
        Type.Null(),
      ],
      {
        description:
          "LoRA files to apply, by name inside the server's LoRA folder (GET /api/loras lists them); absent or null: none.",
      },
    ),
  ),
  lora_scales: Type.Optional(
    Type.Union([Type.Array(LoraScale, { maxItems: LIMITS.maxLoras }), Type.Null()], {
      description: `One per LoRA in lora_paths; absent: each LoRA at ${LORA_SCALE_DEFAULT}.`,
    }),
  ),
};

/** What a job's webhook can announce (docs/api.md §6); each is sent as `job.<event>`. */
export const WEBHOOK_EVENTS = ["start", "progress", "completed", "failed", "cancelled"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** The events of a webhook whose request names none: the job's end, however it ends. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEvent[] = ["completed", "failed", "cancelled"];
/** Longest webhook URL accepted. */
const WEBHOOK_URL_LENGTH = 2048;

/** A job's webhook, on every generation endpoint (not the legacy routes). */
const WebhookFields = {
  webhook: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: WEBHOOK_URL_LENGTH,
      description:
        "An http(s) URL the job's events are POSTed to, signed (Standard Webhooks, WEBHOOK_SECRET) and retried for 24 h.",
    }),
  ),
  webhook_events: Type.Optional(
    Type.Array(Type.Union(WEBHOOK_EVENTS.map((event) => Type.Literal(event))), {
      minItems: 1,
      maxItems: WEBHOOK_EVENTS.length,
      uniqueItems: true,
      description: `Which events the webhook gets; default: ${DEFAULT_WEBHOOK_EVENTS.join(", ")}.`,
    }),
  ),
};

const SamplerFields = {
  negative_prompt: Defaulted(NegativePrompt),
  cfg: Defaulted(Cfg),
  gs: Defaulted(
    Type.Number({
      minimum: 0,
      maximum: 32,
      default: 10,
      description: "Distilled guidance scale (FramePack's usual 10).",
    }),
  ),
  rs: Defaulted(
    Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0,
      description: "CFG rescale; used only when cfg > 1.",
    }),
  ),
  shift: Defaulted(
    Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100 }), Type.Null()], {
      default: null,
      description: "Time shift; null = dynamic.",
    }),
  ),
  transformer: Defaulted(
    Type.Union([Type.Literal("base"), Type.Literal("f1")], {
      default: "base",
      description: "The transformer that samples: base (FramePack) or f1 (FramePack-F1).",
    }),
  ),
  priority: Defaulted(
    Type.Integer({ ...PRIORITY_RANGE, default: 0, description: "Higher runs earlier." }),
  ),
  ...LoraFields,
  ...WebhookFields,
};

const LatentWindowSize = Type.Integer({
  minimum: 1,
  maximum: 33,
  default: 9,
  description:
    "Latent frames per section (FramePack's window); for one frame also its RoPE layout.",
});

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

/** A clean frame index of the one-frame layout (target and control indices). */
const FrameIndex = Type.Integer({ minimum: 0, maximum: 64 });

/** 1f-mc (docs/framepack.md §8.1): one control image, its optional mask and clean index. */
const ControlImage = Type.Object(
  {
    image: ImageData("The control picture"),
    mask: Type.Optional(
      Type.Union([ImageData("The control's mask"), Type.Null()], {
        description:
          "Grayscale, the image's size: white keeps, black removes; absent: the image's alpha channel.",
      }),
    ),
    index: Type.Optional(
      Type.Union([FrameIndex, Type.Null()], {
        description: "The control's clean frame index; absent or null: 0.",
      }),
    ),
  },
  { additionalProperties: false },
);

const OneFrameFields = {
  input_image: Type.Optional(
    ImageData("The picture the frame starts from (one-frame inference); absent: from text alone"),
  ),
  control_images: Type.Optional(
    Type.Array(ControlImage, {
      minItems: 1,
      maxItems: LIMITS.maxControlImages,
      description:
        "1f-mc: the clean frames instead of the input image; input_image still gives SigLIP.",
    }),
  ),
  latent_window_size: Defaulted(LatentWindowSize),
  target_index: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 64,
      description:
        "Time index the frame is sampled at: larger gives more change from input_image. Default: latent_window_size.",
    }),
  ),
  no_2x: Defaulted(
    Type.Boolean({ default: false, description: "Leave out the 2x clean-latent frames." }),
  ),
  no_4x: Defaulted(
    Type.Boolean({ default: false, description: "Leave out the 4x clean-latent frames." }),
  ),
  no_post: Defaulted(
    Type.Boolean({ default: false, description: "Leave out the clean post frame." }),
  ),
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
  {
    ...strict,
    $id: "ImageRequest",
    description: "One image by one-frame inference, from a prompt and optionally a picture.",
    examples: [IMAGE_EXAMPLE],
  },
);
export type GenerateImageRequest = Static<typeof GenerateImageRequest>;

export const BatchImagesRequest = Type.Object(
  {
    prompts: Type.Array(Prompt, {
      minItems: 1,
      maxItems: LIMITS.batchPrompts,
      description: "One image per prompt (a sweep or `count`: exactly one prompt).",
    }),
    seeds: Type.Optional(
      Type.Union(
        [
          Type.Array(Seed, {
            minItems: 1,
            maxItems: Math.max(LIMITS.batchPrompts, LIMITS.maxCount),
          }),
          Type.Null(),
        ],
        { description: "One per prompt (or per `count`); absent or null: each drawn at random." },
      ),
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
  {
    ...strict,
    $id: "BatchRequest",
    description:
      "Several one-frame images in one job: one per prompt, `count` of one prompt, or a RoPE sweep.",
    examples: [BATCH_EXAMPLE],
  },
);
export type BatchImagesRequest = Static<typeof BatchImagesRequest>;

export const TransferImageRequest = Type.Object(
  {
    source_image: ImageData("The reference whose look (clothes, colours) is taken"),
    target_image: ImageData("The picture that is changed"),
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
    source_mask: Type.Optional(
      ImageData("Grayscale mask of the source (white: take, black: ignore); absent: its alpha"),
    ),
    target_mask: Type.Optional(
      ImageData("Grayscale mask of the target (white: keep, black: repaint); absent: its alpha"),
    ),
    target_index: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 64,
        default: 1,
        description: "Time index of the sampled frame; must be below control_index.",
      }),
    ),
    control_index: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 64,
        default: 10,
        description: "Time index of the source (the target sits at 0).",
      }),
    ),
    width: OptionalSide("target"),
    height: OptionalSide("target"),
    ...SamplerFields,
  },
  {
    ...strict,
    $id: "TransferRequest",
    description:
      "Kisekaeichi reference transfer (着せ替え): the target picture redrawn with the source's look.",
    examples: [TRANSFER_EXAMPLE],
  },
);
export type TransferImageRequest = Static<typeof TransferImageRequest>;

export const GenerateVideoRequest = Type.Object(
  {
    image: Type.Optional(
      ImageData(
        "The start image, the video's first frame; optional when continuing (then it replaces the earlier video's anchor)",
      ),
    ),
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
    use_teacache: Defaulted(
      Type.Boolean({
        default: true,
        description: "FramePack-FastAPI's switch: false turns the block cache off (cache none).",
      }),
    ),
    cache: Defaulted(
      Type.Union([Type.Literal("teacache"), Type.Literal("magcache"), Type.Literal("none")], {
        default: "teacache",
        description:
          "Skips transformer steps whose effect is predictable: TeaCache, MagCache or none. " +
          "Faster, slightly different results.",
      }),
    ),
    width: OptionalSide("image"),
    height: OptionalSide("image"),
    mp4_crf: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 51,
        default: 16,
        description: "MP4 quality (H.264 CRF): lower is better and larger; 0 is lossless.",
      }),
    ),
    gpu_memory_preservation: Defaulted(
      Type.Number({
        minimum: 0,
        maximum: 128,
        default: 6,
        description:
          "GB of GPU memory kept free in the low-memory mode (more: slower, safer); no effect in high mode.",
      }),
    ),
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
            image: ImageData("The picture the section should show"),
          },
          strict,
        ),
        {
          maxItems: LIMITS.maxVideoTimeline,
          description: "Base model only: each section at most once.",
        },
      ),
    ),
    continue_from: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          "F1 only (sampling_mode forward): the id (or short id) of a completed video job to continue; video_length seconds are added and the result is the joined video.",
      }),
    ),
    continue_video: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.videoBase64Length,
        description:
          "F1 only: an MP4 to continue (base64 or a data URI); its last up to 108 frames are the context, the result is the joined video. Not with continue_from.",
      }),
    ),
    negative_prompt: Defaulted(NegativePrompt),
    cfg: Defaulted(Cfg),
    gs: SamplerFields.gs,
    rs: SamplerFields.rs,
    priority: SamplerFields.priority,
    ...LoraFields,
    ...WebhookFields,
  },
  {
    ...strict,
    $id: "VideoRequest",
    description:
      "A video from a start image, or continuing an earlier video: optionally an end image, timed prompts and keyframes.",
    examples: [VIDEO_EXAMPLE],
  },
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
    status: Type.Optional(Type.With(JobStatus, { description: "Only jobs in this status." })),
    type: Type.Optional(Type.With(JobType, { description: "Only jobs of this type." })),
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
    cursor: Type.Optional(
      Type.String({
        maxLength: 64,
        description: "The previous page's next_cursor, for the page after it.",
      }),
    ),
    limit: Defaulted(
      Type.Integer({ minimum: 1, maximum: 200, default: 50, description: "Jobs per page." }),
    ),
  },
  strict,
);

/** The `{id}` of the job routes: a whole id or a short one. */
export const JobIdParams = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 64,
    description: "The job's id, or its first 8 or more characters (a short id).",
  }),
});

/** PATCH /api/jobs/{id}: a pending job's new priority (docs/api.md §6). */
export const JobChangeRequest = Type.Object(
  { priority: Type.Integer({ ...PRIORITY_RANGE, description: "Higher runs earlier." }) },
  {
    ...strict,
    $id: "JobChange",
    description: "A pending job's new priority.",
    examples: [{ priority: 5 }],
  },
);
export type JobChangeRequest = Static<typeof JobChangeRequest>;

/** POST /api/jobs/{id}/retry: the body is optional. */
export const RetryRequest = Type.Object(
  {
    new_seed: Defaulted(
      Type.Boolean({
        default: false,
        description: "Draw new seeds instead of the ones the job used.",
      }),
    ),
  },
  {
    ...strict,
    $id: "RetryRequest",
    description: "How to submit a finished job again (the body is optional).",
    examples: [{ new_seed: true }],
  },
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
/** Fields with uploaded files besides pictures: stored as files, never kept in a record. */
export const FILE_FIELDS = [...IMAGE_FIELDS, "continue_video"] as const;
type FileField = (typeof FILE_FIELDS)[number];

/** A request as a job records it (the API's `data`): every field but the pictures. */
export type RecordedRequest =
  | RecordedOneFrame<ImageRequest>
  | RecordedOneFrame<BatchRequest>
  | Omit<TransferRequest, ImageField>
  | RecordedVideoRequest;

/** A one-frame request as recorded: control images keep their clean indices (0 if none given). */
type RecordedOneFrame<R> = Omit<R, ImageField | "control_images"> & {
  control_images?: { index: number; mask: boolean }[];
};

/** A video request as recorded: keyframes keep their sections, not their pictures. */
type RecordedVideoRequest = Omit<VideoRequest, FileField | "keyframes"> & {
  keyframes?: { section: number }[];
};
