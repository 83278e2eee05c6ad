// The studio's share of a job done and its time left (web/src/queue/job-eta.ts): over
// the whole job, a video's sections and steps together, not per section.
import { describe, expect, it } from "vitest";
import {
  clockTime,
  remainingSeconds,
  videoSection,
  workFraction,
} from "../web/src/queue/job-eta.js";

type Job = Parameters<typeof workFraction>[0];

/** A running job with the numbers given; a video of 4 sections of 10 steps unless told. */
function running(fields: Partial<Job>): Job {
  return {
    id: "8801f0d9-0000-4000-8000-000000000000",
    type: "video",
    status: "processing",
    data: { steps: 10 },
    progress: 0,
    step: 0,
    total: 40,
    phase: "sampling",
    info: "",
    ...fields,
  } as Job;
}

describe("the share of a job done", () => {
  it("counts a video's steps over all its sections, and its decodes by section", () => {
    expect(workFraction(running({ step: 15 }))).toBe(0.375);
    expect(videoSection(running({ step: 15 }))).toEqual({ section: 2, count: 4 });
    expect(videoSection(running({ step: 10 }))).toEqual({ section: 1, count: 4 });
    expect(videoSection(running({ step: 11 }))).toEqual({ section: 2, count: 4 });
    // After section 2's steps: decoding reports section 2 of 4, the same share.
    const decoding = { phase: "decoding", step: 2, total: 4 } as const;
    expect(workFraction(running(decoding))).toBe(0.5);
    expect(videoSection(running(decoding))).toEqual({ section: 2, count: 4 });
    expect(workFraction(running({ phase: "loading", step: 0, total: 0 }))).toBe(0);
    expect(workFraction(running({ phase: "saving", step: 0, total: 1 }))).toBe(1);
  });

  it("counts an image's one decode after its steps as done, a batch by the service's share", () => {
    const image = { type: "image" as const, data: {}, total: 20 };
    expect(workFraction(running({ ...image, step: 5 }))).toBe(0.25);
    expect(workFraction(running({ ...image, phase: "decoding", step: 0, total: 1 }))).toBe(1);
    expect(videoSection(running({ ...image, step: 5 }))).toBeUndefined();
    expect(workFraction(running({ type: "batch_image", progress: 0.6, step: 1, total: 4 }))).toBe(
      0.6,
    );
    expect(workFraction(running({ status: "completed", phase: "done", step: 4 }))).toBe(1);
  });
});

describe("the time left", () => {
  it("follows the pace since the first sample, over the whole job", () => {
    // A quarter of the job in 10 s: three quarters left take 30 s.
    expect(remainingSeconds({ fraction: 0, at: 0 }, { fraction: 0.25, at: 10_000 })).toBe(30);
    // Measured from a sample mid-run (a page opened late).
    expect(remainingSeconds({ fraction: 0.5, at: 0 }, { fraction: 0.75, at: 5_000 })).toBe(5);
  });

  it("is unknown until the work moved, and once it is all done", () => {
    expect(remainingSeconds({ fraction: 0.2, at: 0 }, { fraction: 0.2, at: 5_000 })).toBe(
      undefined,
    );
    expect(remainingSeconds({ fraction: 0.2, at: 0 }, { fraction: 1, at: 5_000 })).toBe(undefined);
  });

  it("reads as a clock", () => {
    expect(clockTime(42.4)).toBe("0:42");
    expect(clockTime(185)).toBe("3:05");
    expect(clockTime(3729)).toBe("1:02:09");
  });
});
