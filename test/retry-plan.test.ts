// The plan of a retry (src/jobs/retries.ts) and the `Prefer: wait` header
// (src/api/prefer-wait.ts), without a service: every input path the plan names moves to
// the new job's copy wherever it stands (keyframes, end image, kinds added later), and new
// seeds keep the plan's structure (items that shared a seed share the new one).
import { describe, expect, it } from "vitest";
import { preferredWaitSeconds } from "../src/api/prefer-wait.js";
import type { JobPlan } from "../src/engine/protocol.js";
import { pendingBatchItems, retryPlan } from "../src/jobs/retries.js";
import { batchPlan, videoPlan } from "./helpers/plans.js";

/** A plan as a job records it: without the per-attempt output directory. */
const withoutOutputDir = <T extends { output_dir: string }>(plan: T): Omit<T, "output_dir"> =>
  Object.fromEntries(Object.entries(plan).filter(([key]) => key !== "output_dir")) as Omit<
    T,
    "output_dir"
  >;

describe("retryPlan", () => {
  const old = (name: string) => `/data/jobs/old/inputs/${name}`;
  const copy = (name: string) => `/data/jobs/new/inputs/${name}`;
  const names = ["input.png", "end.png", "keyframe-0-section-1.png", "control-0.png"];
  const paths = new Map(names.map((name) => [old(name), copy(name)]));

  it("points every input path at the copy, wherever the plan holds it, and keeps the seed", () => {
    const plan = {
      ...withoutOutputDir(videoPlan("/out", old("input.png"))),
      end_image_path: old("end.png"),
      keyframes: [{ section: 1, image_path: old("keyframe-0-section-1.png") }],
      // A field this module does not know (wt-video's control images, say).
      control_images: [{ path: old("control-0.png"), index: 3 }],
    } as JobPlan;
    const retried = retryPlan(plan, { paths, newSeeds: false });
    expect(JSON.stringify(retried)).not.toContain("/old/");
    expect(retried).toMatchObject({
      input_image_path: copy("input.png"),
      end_image_path: copy("end.png"),
      keyframes: [{ section: 1, image_path: copy("keyframe-0-section-1.png") }],
      control_images: [{ path: copy("control-0.png"), index: 3 }],
      seed: 5,
      prompt: "the light turns",
    });
  });

  it("draws new seeds, one per distinct old seed, and the batch items follow them", () => {
    const plan = withoutOutputDir(
      batchPlan("/out", [
        { prompt: "a", seed: 7, target_index: 1 },
        { prompt: "a", seed: 7, target_index: 5 },
        { prompt: "b", seed: 8 },
      ]),
    ) as JobPlan;
    const retried = retryPlan(plan, { paths, newSeeds: true });
    if (retried.kind !== "batch") throw new Error("not a batch");
    const [first, second, third] = retried.items.map((item) => item.seed);
    expect(first).toBe(second);
    expect(first).not.toBe(7);
    expect(third).not.toBe(8);
    expect(pendingBatchItems(retried).map((item) => [item.seed, item.status])).toEqual([
      [first, "pending"],
      [second, "pending"],
      [third, "pending"],
    ]);
  });
});

describe("Prefer: wait", () => {
  it("reads the wait among other preferences, cut to 60 s; no wait otherwise", () => {
    expect(preferredWaitSeconds("wait=5")).toBe(5);
    expect(preferredWaitSeconds("respond-async, wait=10")).toBe(10);
    expect(preferredWaitSeconds(["handling=lenient", "Wait = 7"])).toBe(7);
    expect(preferredWaitSeconds('wait="12"')).toBe(12);
    expect(preferredWaitSeconds("wait=600")).toBe(60);
    for (const none of [undefined, "", "wait=0", "wait=abc", "respond-async", "nowait=5"]) {
      expect(preferredWaitSeconds(none), String(none)).toBeUndefined();
    }
  });
});
