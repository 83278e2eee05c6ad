// Fully specified engine plans for tests, small enough to run in a second on a CPU.
import { withDefaults } from "../../src/contract/defaults.js";
import { GenerateImageRequest, type RecordedRequest } from "../../src/contract/requests.js";
import type {
  BatchPlan,
  ImagePlan,
  JobPlan,
  TransferPlan,
  VideoPlan,
} from "../../src/engine/protocol.js";

function samplingSettings() {
  return {
    negative_prompt: "",
    steps: 3,
    cfg: 1,
    gs: 10,
    rs: 0,
    shift: null,
    width: 128,
    height: 96,
    transformer: "base" as const,
    loras: [],
    preview_every: 1,
  };
}

function oneFrameSettings() {
  return {
    ...samplingSettings(),
    input_image_path: null,
    latent_window_size: 9,
    target_index: 9,
    no_2x: false,
    no_4x: false,
    no_post: false,
  };
}

export function imagePlan(outputDir: string, overrides: Partial<ImagePlan> = {}): ImagePlan {
  return {
    ...oneFrameSettings(),
    output_dir: outputDir,
    kind: "image",
    prompt: "a lighthouse at dusk",
    seed: 42,
    ...overrides,
  };
}

export function batchPlan(outputDir: string, items: BatchPlan["items"]): BatchPlan {
  return { ...oneFrameSettings(), output_dir: outputDir, kind: "batch", items, batch_size: 4 };
}

export function transferPlan(outputDir: string, target: string, source: string): TransferPlan {
  return {
    ...samplingSettings(),
    output_dir: outputDir,
    kind: "transfer",
    prompt: "wearing the coat",
    seed: 9,
    target_image_path: target,
    source_image_path: source,
    target_mask_path: null,
    source_mask_path: null,
    transfer_strength: 0.7,
    target_index: 1,
    control_index: 10,
  };
}

export function videoPlan(outputDir: string, start: string): VideoPlan {
  return {
    ...samplingSettings(),
    output_dir: outputDir,
    kind: "video",
    prompt: "the light turns",
    seed: 5,
    input_image_path: start,
    seconds: 1,
    latent_window_size: 9,
    cache: "none",
    mp4_crf: 16,
    gpu_memory_preservation: 6,
    steps: 2,
  };
}

/** A whole image job as the job service inserts it, for tests that fill a store directly. */
export function storedImageRecord(id: string, prompt: string, apiKeyHash: string | null = null) {
  return {
    id,
    legacyId: null,
    type: "image" as const,
    ...storedImageJob(prompt),
    priority: 0,
    apiKeyHash,
    batchItems: null,
  };
}

/** An image job's record fields as the job service stores them, for store-level tests. */
export function storedImageJob(prompt: string): { data: RecordedRequest; plan: JobPlan } {
  // The record keeps control images as indices only; this request has none.
  const { control_images: controls, ...data } = withDefaults(GenerateImageRequest, { prompt });
  if (controls) throw new Error("a default image request has no control images");
  return {
    data,
    plan: { ...oneFrameSettings(), kind: "image", prompt, seed: 42 },
  };
}
