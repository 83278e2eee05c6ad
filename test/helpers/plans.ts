// Fully specified engine plans for tests, small enough to run in a second on a CPU.
import type { BatchPlan, ImagePlan } from "../../src/engine/protocol.js";

function oneFrameSettings(outputDir: string) {
  return {
    output_dir: outputDir,
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
    ...oneFrameSettings(outputDir),
    kind: "image",
    prompt: "a lighthouse at dusk",
    seed: 42,
    ...overrides,
  };
}

export function batchPlan(outputDir: string, items: BatchPlan["items"]): BatchPlan {
  return { ...oneFrameSettings(outputDir), kind: "batch", items, batch_size: 4 };
}
