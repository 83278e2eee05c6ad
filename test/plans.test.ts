// Plans are built from requests whose defaults come from the schemas alone (withDefaults).
import { describe, expect, it } from "vitest";
import { defaultsOf, withDefaults } from "../src/contract/defaults.js";
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  TransferImageRequest,
} from "../src/contract/requests.js";
import { batchPlan, imagePlan, transferPlan, videoPlan } from "../src/jobs/plans.js";

const inputs = { target: "t.png", source: "s.png", targetMask: null, sourceMask: null };

describe("request defaults", () => {
  it("are those of docs/api.md §2", () => {
    expect(defaultsOf(GenerateImageRequest)).toEqual({
      negative_prompt: "",
      seed: -1,
      steps: 30,
      cfg: 1,
      width: 1216,
      height: 704,
      gs: 10,
      rs: 0,
      shift: null,
      transformer: "base",
      priority: 0,
      latent_window_size: 9,
      no_2x: false,
      no_4x: false,
      no_post: false,
    });
    expect(defaultsOf(BatchImagesRequest)).toMatchObject({ batch_size: 4, steps: 30 });
    expect(defaultsOf(TransferImageRequest)).toMatchObject({
      transfer_strength: 0.7,
      steps: 30,
      target_index: 1,
      control_index: 10,
    });
    expect(defaultsOf(TransferImageRequest)).not.toHaveProperty("width");
    expect(defaultsOf(GenerateVideoRequest)).toMatchObject({
      video_length: 5,
      steps: 25,
      latent_window_size: 9,
      sampling_mode: "reverse",
      use_teacache: true,
      mp4_crf: 16,
      gpu_memory_preservation: 6,
    });
  });

  it("fill what a request leaves out, keeping what it gives and the caller's object", () => {
    const body = { prompt: "a cat", steps: 12 };
    const request = withDefaults(GenerateImageRequest, body);
    expect(request).toMatchObject({ prompt: "a cat", steps: 12, width: 1216, cfg: 1 });
    expect(body).toEqual({ prompt: "a cat", steps: 12 });
  });

  it("reach the plans", () => {
    const image = imagePlan(withDefaults(GenerateImageRequest, { prompt: "x", seed: 3 }), null, []);
    expect(image).toMatchObject({
      seed: 3,
      steps: 30,
      width: 1216,
      height: 704,
      latent_window_size: 9,
      target_index: 9,
      shift: null,
      transformer: "base",
    });
    const batch = batchPlan(withDefaults(BatchImagesRequest, { prompts: ["x"] }), null, []);
    expect(batch).toMatchObject({ batch_size: 4, steps: 30 });
    const transfer = transferPlan(
      withDefaults(TransferImageRequest, { prompt: "x", source_image: "s", target_image: "t" }),
      inputs,
      [],
    );
    // No size given: the engine takes the target's 640 bucket.
    expect(transfer).toMatchObject({ width: null, height: null, transfer_strength: 0.7 });
    const oneSide = { prompt: "x", source_image: "s", target_image: "t", width: 640 };
    expect(() => transferPlan(withDefaults(TransferImageRequest, oneSide), inputs, [])).toThrow(
      "height: give width and height together",
    );
    const video = videoPlan(
      withDefaults(GenerateVideoRequest, { prompt: "x", image: "i" }),
      "i.png",
      [],
    );
    expect(video).toMatchObject({
      steps: 25,
      seconds: 5,
      mp4_crf: 16,
      gpu_memory_preservation: 6,
      transformer: "base",
      width: null,
    });
  });
});
