// Requests (validated, every default present) -> engine plans: sizes snapped, seeds
// drawn, LoRAs resolved, images replaced by the paths of their stored PNG copies.
import { randomInt } from "node:crypto";
import { invalidField } from "../contract/errors.js";
import type {
  BatchRequest,
  ImageRequest,
  TransferRequest,
  VideoRequest,
} from "../contract/requests.js";
import type { BatchItem, Continuation, JobPlan, LoraEntry } from "../engine/protocol.js";
import type { ResolvedLora } from "./loras.js";

/** The job plan of one kind. */
type PlanOf<K extends JobPlan["kind"]> = Extract<JobPlan, { kind: K }>;

const PREVIEW_EVERY = 5;

/** The block cache of a video: `use_teacache: false`, the legacy switch, turns it off. */
function blockCache(request: VideoRequest): VideoRequest["cache"] {
  if (request.use_teacache) return request.cache;
  if (request.cache === "magcache") throw invalidField("cache", "magcache with use_teacache false");
  return "none";
}

export function drawSeed(seed: number | undefined): number {
  return seed === undefined || seed === -1 ? randomInt(0, 2 ** 32) : seed;
}

/** Nearest multiple of 16 (VAE /8, patch /2), at least 64. */
export function snapSide(pixels: number): number {
  return Math.max(64, Math.round(pixels / 16) * 16);
}

function loraEntries(loras: readonly ResolvedLora[]): LoraEntry[] {
  return loras.map((lora) => ({ path: lora.path, scale: lora.scale }));
}

type OneFrameRequest = ImageRequest | BatchRequest;

function samplerSettings(
  request: OneFrameRequest | TransferRequest,
  loras: readonly ResolvedLora[],
) {
  return {
    negative_prompt: request.negative_prompt,
    steps: request.steps,
    cfg: request.cfg,
    gs: request.gs,
    rs: request.rs,
    shift: request.shift,
    transformer: request.transformer,
    loras: loraEntries(loras),
    preview_every: PREVIEW_EVERY,
  };
}

/** The stored pictures of a one-frame request's control images, in the request's order. */
export interface StoredControl {
  path: string;
  /** The stored mask; null: the engine takes the image's alpha channel, if any. */
  maskPath: string | null;
}

/** A control image's clean frame index: the given one, else 0 (docs/framepack.md §8.1). */
export function controlIndex(control: { index?: number | null }): number {
  return control.index ?? 0;
}

/**
 * The checks of a one-frame request's control images that its schema cannot make; run
 * before its images are stored. A control may not sit in the noisy frame's slot.
 */
export function checkOneFrameRequest(request: OneFrameRequest): void {
  const targets = new Set([
    request.target_index ?? request.latent_window_size,
    ...("target_indices" in request ? (request.target_indices ?? []) : []),
  ]);
  (request.control_images ?? []).forEach((control, index) => {
    const at = controlIndex(control);
    if (targets.has(at)) {
      throw invalidField(
        `control_images[${index}].index`,
        `${at} is a target index (the slot of the frame being generated)`,
      );
    }
  });
}

function oneFrameSettings(
  request: OneFrameRequest,
  inputPath: string | null,
  loras: readonly ResolvedLora[],
  controls: readonly StoredControl[],
) {
  checkOneFrameRequest(request);
  const requested = request.control_images ?? [];
  return {
    ...samplerSettings(request, loras),
    width: snapSide(request.width),
    height: snapSide(request.height),
    input_image_path: inputPath,
    latent_window_size: request.latent_window_size,
    target_index: request.target_index ?? request.latent_window_size,
    no_2x: request.no_2x,
    no_4x: request.no_4x,
    no_post: request.no_post,
    ...(controls.length
      ? {
          control_images: nonEmpty(
            controls.map((control, index) => ({
              image_path: control.path,
              mask_path: control.maskPath,
              index: controlIndex(requested[index] ?? {}),
            })),
            "control_images",
          ),
        }
      : {}),
  };
}

export function imagePlan(
  request: ImageRequest,
  inputPath: string | null,
  loras: readonly ResolvedLora[],
  controls: readonly StoredControl[] = [],
): PlanOf<"image"> {
  return {
    kind: "image",
    prompt: request.prompt,
    seed: drawSeed(request.seed),
    ...oneFrameSettings(request, inputPath, loras, controls),
  };
}

/**
 * Items of a batch: one per prompt, `count` seeds of one prompt, or a RoPE sweep of one
 * prompt and seed.
 */
export function batchItems(request: BatchRequest): BatchItem[] {
  const { prompts, seeds, target_indices: indices, latent_window_sizes: windows } = request;
  if (request.count !== undefined) return countItems(request, request.count);
  if (seeds && seeds.length !== prompts.length) {
    throw invalidField("seeds", `has ${seeds.length} entries for ${prompts.length} prompts`);
  }
  const sweep = indices ?? windows;
  if (!sweep) {
    return prompts.map((prompt, index) => ({ prompt, seed: drawSeed(seeds?.[index]) }));
  }
  if (indices && windows) {
    throw invalidField("target_indices", "sweep either target_indices or latent_window_sizes");
  }
  if (prompts.length !== 1) {
    throw invalidField("prompts", "a RoPE sweep renders exactly one prompt");
  }
  const [prompt = ""] = prompts;
  const seed = drawSeed(seeds?.[0]);
  return sweep.map((value) =>
    indices ? { prompt, seed, target_index: value } : { prompt, seed, latent_window_size: value },
  );
}

/** `count` images of one prompt: the given seeds (`count` of them) or random ones. */
function countItems(request: BatchRequest, count: number): BatchItem[] {
  const { prompts, seeds } = request;
  if (prompts.length !== 1) {
    throw invalidField("count", `renders exactly one prompt, got ${prompts.length}`);
  }
  if (request.target_indices ?? request.latent_window_sizes) {
    throw invalidField("count", "cannot be combined with a RoPE sweep");
  }
  if (seeds && seeds.length !== count) {
    throw invalidField("seeds", `has ${seeds.length} entries for count ${count}`);
  }
  const [prompt = ""] = prompts;
  return Array.from({ length: count }, (_, index) => ({ prompt, seed: drawSeed(seeds?.[index]) }));
}

function nonEmpty<T>(items: T[], field = "prompts"): [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw invalidField(field, "must not be empty");
  return [first, ...rest];
}

export function batchPlan(
  request: BatchRequest,
  inputPath: string | null,
  loras: readonly ResolvedLora[],
  controls: readonly StoredControl[] = [],
): PlanOf<"batch"> {
  return {
    kind: "batch",
    items: nonEmpty(batchItems(request)),
    batch_size: request.batch_size,
    ...oneFrameSettings(request, inputPath, loras, controls),
  };
}

export interface TransferInputs {
  target: string;
  source: string;
  targetMask: string | null;
  sourceMask: string | null;
}

export function transferPlan(
  request: TransferRequest,
  inputs: TransferInputs,
  loras: readonly ResolvedLora[],
): PlanOf<"transfer"> {
  const { target_index: targetIndex, control_index: controlIndex } = request;
  if (targetIndex >= controlIndex) {
    throw invalidField("target_index", `must be smaller than control_index (${controlIndex})`);
  }
  return {
    kind: "transfer",
    prompt: request.prompt,
    seed: drawSeed(request.seed),
    ...samplerSettings(request, loras),
    ...optionalSize(request),
    target_image_path: inputs.target,
    source_image_path: inputs.source,
    target_mask_path: inputs.targetMask,
    source_mask_path: inputs.sourceMask,
    transfer_strength: request.transfer_strength,
    target_index: targetIndex,
    control_index: controlIndex,
  };
}

/**
 * Both sides given, or neither: then the engine takes the 640 bucket of the picture
 * the job starts from (a video's image, a transfer's target).
 */
function optionalSize(request: { width?: number; height?: number }): {
  width: number | null;
  height: number | null;
} {
  const { width, height } = request;
  if (width === undefined && height === undefined) return { width: null, height: null };
  if (width === undefined || height === undefined) {
    throw invalidField(width === undefined ? "width" : "height", "give width and height together");
  }
  return { width: snapSide(width), height: snapSide(height) };
}

/** Frames per latent of the VAE, pixel frames per second (docs/framepack.md §7.1). */
const VAE_TIME_STRIDE = 4;
const VIDEO_FPS = 30;

/** Python's round(): halves go to the even neighbour, as the engine counts sections. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The sections of a video: max(round(seconds·30 / (4·lws)), 1), as the engine counts them. */
export function videoSectionCount(seconds: number, latentWindowSize: number): number {
  return Math.max(roundHalfEven((seconds * VIDEO_FPS) / (VAE_TIME_STRIDE * latentWindowSize)), 1);
}

/**
 * The checks of a video request's end frame, loop, section prompts and keyframes that its
 * schema cannot make; run before its images are stored (a refusal stores nothing).
 */
export function checkVideoRequest(request: VideoRequest): void {
  checkContinuation(request);
  const forward = request.sampling_mode === "forward";
  const baseOnly = "needs the base model (sampling_mode reverse); F1 has no end frame or keyframes";
  if (forward && request.end_image !== undefined) throw invalidField("end_image", baseOnly);
  if (forward && request.loop) throw invalidField("loop", baseOnly);
  if (forward && request.keyframes?.length) throw invalidField("keyframes", baseOnly);
  if (request.loop && request.end_image !== undefined) {
    throw invalidField("loop", "a loop ends on its start image; leave end_image out");
  }
  (request.section_prompts ?? []).forEach((entry, index) => {
    const previous = request.section_prompts?.[index - 1];
    if (previous && entry.start < previous.start) {
      throw invalidField(`section_prompts[${index}].start`, "section prompts must be sorted");
    }
    if (entry.start >= request.video_length) {
      throw invalidField(
        `section_prompts[${index}].start`,
        `${entry.start} s is past the video's ${request.video_length} s`,
      );
    }
  });
  const sections = videoSectionCount(request.video_length, request.latent_window_size);
  const seen = new Set<number>();
  (request.keyframes ?? []).forEach(({ section }, index) => {
    if (section >= sections) {
      throw invalidField(
        `keyframes[${index}].section`,
        `section ${section} is past the video's ${sections} sections (0 to ${sections - 1})`,
      );
    }
    if (seen.has(section)) {
      throw invalidField(`keyframes[${index}].section`, `section ${section} has two keyframes`);
    }
    seen.add(section);
  });
}

/**
 * Continuing (docs/framepack.md §7.10) is F1's: continue_from or continue_video, not both;
 * without either the start image is required, with one it is optional.
 */
function checkContinuation(request: VideoRequest): void {
  const field =
    request.continue_from !== undefined
      ? "continue_from"
      : request.continue_video !== undefined
        ? "continue_video"
        : undefined;
  if (field === undefined) {
    if (request.image === undefined) {
      throw invalidField("image", "is required unless continue_from or continue_video is given");
    }
    return;
  }
  if (request.continue_from !== undefined && request.continue_video !== undefined) {
    throw invalidField("continue_video", "give continue_from or continue_video, not both");
  }
  if (request.sampling_mode !== "forward") {
    throw invalidField(field, "continuing a video needs F1 (sampling_mode forward)");
  }
}

/** The stored pictures of a video besides its start image. */
export interface VideoInputs {
  /** The stored end image; null without one (a loop uses the start image). */
  end: string | null;
  /** The stored keyframes, in the request's order. */
  keyframes: { section: number; path: string }[];
  /** The earlier video it continues, its files stored with the job; absent: none. */
  continuation?: Continuation;
}

/** `inputPath`: the stored start image; null only when continuing. */
export function videoPlan(
  request: VideoRequest,
  inputPath: string | null,
  loras: readonly ResolvedLora[],
  inputs: VideoInputs = { end: null, keyframes: [] },
): PlanOf<"video"> {
  checkVideoRequest(request);
  const endPath = request.loop ? inputPath : inputs.end;
  return {
    kind: "video",
    prompt: request.prompt,
    seed: drawSeed(request.seed),
    negative_prompt: request.negative_prompt,
    steps: request.steps,
    cfg: request.cfg,
    gs: request.gs,
    rs: request.rs,
    shift: null,
    ...optionalSize(request),
    transformer: request.sampling_mode === "forward" ? "f1" : "base",
    loras: loraEntries(loras),
    preview_every: 0,
    input_image_path: inputPath,
    seconds: request.video_length,
    latent_window_size: request.latent_window_size,
    cache: blockCache(request),
    mp4_crf: request.mp4_crf,
    gpu_memory_preservation: request.gpu_memory_preservation,
    ...(endPath === null
      ? {}
      : { end_image_path: endPath, end_frame_strength: request.end_frame_strength }),
    ...(request.loop ? { loop: true } : {}),
    ...(request.section_prompts?.length
      ? {
          section_prompts: request.section_prompts.map(({ start, prompt }) => ({ start, prompt })),
          prompt_blend_sections: request.prompt_blend_sections,
        }
      : {}),
    ...(inputs.keyframes.length
      ? {
          keyframes: inputs.keyframes.map(({ section, path }) => ({ section, image_path: path })),
        }
      : {}),
    ...(inputs.continuation ? { continuation: inputs.continuation } : {}),
  };
}
