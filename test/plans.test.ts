// Plans are built from requests whose defaults come from the schemas alone (withDefaults).
import { describe, expect, it } from "vitest";
import { defaultsOf, withDefaults } from "../src/contract/defaults.js";
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  TransferImageRequest,
} from "../src/contract/requests.js";
import {
  batchItems,
  batchPlan,
  checkVideoRequest,
  imagePlan,
  transferPlan,
  videoPlan,
  videoSectionCount,
} from "../src/jobs/plans.js";

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
      cache: "teacache",
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

describe("video timelines and counts", () => {
  const video = (body: object) =>
    withDefaults(GenerateVideoRequest, { prompt: "x", image: "i", ...body });

  it("the block cache: cache chooses, the legacy use_teacache false turns it off", () => {
    const cacheOf = (body: object) => videoPlan(video(body), "i.png", []).cache;
    expect(cacheOf({})).toBe("teacache");
    expect(cacheOf({ cache: "magcache" })).toBe("magcache");
    expect(cacheOf({ cache: "none" })).toBe("none");
    expect(cacheOf({ use_teacache: false })).toBe("none");
    expect(() => cacheOf({ use_teacache: false, cache: "magcache" })).toThrow(/^cache: /);
  });

  it("an end image, a loop, section prompts and keyframes reach the video plan", () => {
    expect(defaultsOf(GenerateVideoRequest)).toMatchObject({
      end_frame_strength: 1,
      loop: false,
      prompt_blend_sections: 0,
    });
    const end = videoPlan(video({ end_image: "e", end_frame_strength: 0.3 }), "i.png", [], {
      end: "end.png",
      keyframes: [],
    });
    expect(end).toMatchObject({ end_image_path: "end.png", end_frame_strength: 0.3 });
    expect(end).not.toHaveProperty("loop");
    expect(end).not.toHaveProperty("section_prompts");
    const loop = videoPlan(video({ loop: true }), "i.png", []);
    expect(loop).toMatchObject({ end_image_path: "i.png", end_frame_strength: 1, loop: true });
    const timed = videoPlan(
      video({
        video_length: 3.6,
        section_prompts: [{ start: 1.1, prompt: "y" }],
        prompt_blend_sections: 1,
      }),
      "i.png",
      [],
      { end: null, keyframes: [{ section: 2, path: "k.png" }] },
    );
    expect(timed).toMatchObject({
      section_prompts: [{ start: 1.1, prompt: "y" }],
      prompt_blend_sections: 1,
      keyframes: [{ section: 2, image_path: "k.png" }],
    });
    expect(timed).not.toHaveProperty("end_image_path");
  });

  it.each([
    ["an end image with F1", { sampling_mode: "forward", end_image: "e" }, "end_image"],
    ["a loop with F1", { sampling_mode: "forward", loop: true }, "loop"],
    ["a loop with an end image", { loop: true, end_image: "e" }, "loop"],
    [
      "keyframes with F1",
      { sampling_mode: "forward", keyframes: [{ section: 0, image: "k" }] },
      "keyframes",
    ],
    [
      "a keyframe past the sections",
      { video_length: 2.4, keyframes: [{ section: 2, image: "k" }] },
      "keyframes[0].section",
    ],
    [
      "two keyframes for one section",
      {
        keyframes: [
          { section: 1, image: "k" },
          { section: 1, image: "k" },
        ],
      },
      "keyframes[1].section",
    ],
    [
      "unsorted section prompts",
      {
        section_prompts: [
          { start: 2, prompt: "b" },
          { start: 1, prompt: "a" },
        ],
      },
      "section_prompts[1].start",
    ],
    [
      "a section prompt past the end",
      { video_length: 2, section_prompts: [{ start: 2, prompt: "b" }] },
      "section_prompts[0].start",
    ],
  ])("%s is refused naming the field", (_name, body, field) => {
    expect(() => {
      checkVideoRequest(video(body));
    }).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field })] }));
  });

  it("counts sections as the engine does (Python's round, halves to even)", () => {
    expect(videoSectionCount(5, 9)).toBe(4); // 4.17
    expect(videoSectionCount(5.4, 9)).toBe(4); // 4.5 -> 4
    expect(videoSectionCount(6.6, 9)).toBe(6); // 5.5 -> 6
    expect(videoSectionCount(0.1, 9)).toBe(1);
  });

  it("count: N images of one prompt with N seeds, given or drawn", () => {
    const batch = (body: object) => withDefaults(BatchImagesRequest, { prompts: ["x"], ...body });
    const drawn = batchItems(batch({ count: 5 }));
    expect(drawn.map((item) => item.prompt)).toEqual(["x", "x", "x", "x", "x"]);
    expect(new Set(drawn.map((item) => item.seed)).size).toBe(5);
    expect(batchItems(batch({ count: 3, seeds: [7, 8, 9] })).map((item) => item.seed)).toEqual([
      7, 8, 9,
    ]);
    expect(() => batchItems(batch({ count: 3, seeds: [7] }))).toThrow("seeds: has 1 entries");
    expect(() => batchItems(batch({ count: 2, prompts: ["a", "b"] }))).toThrow(
      "count: renders exactly one prompt",
    );
  });
});
