// The size proposed for an input picture (src/contract/buckets.ts): the same buckets and
// nearest-bucket choice as the engine's (asked of the engine's own Python), and the
// proposal at a form's default area.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { enginePython, loadConfig } from "../src/config.js";
import {
  BUCKETS_640,
  nearestBucket,
  proposedSize,
  resolutionOfArea,
  type Size,
} from "../src/contract/buckets.js";

const PICTURES: Size[] = [
  { width: 96, height: 64 },
  { width: 64, height: 96 },
  { width: 1920, height: 1080 },
  { width: 1080, height: 1920 },
  { width: 512, height: 512 },
  { width: 3000, height: 1000 },
  { width: 100, height: 1000 },
  { width: 704, height: 544 },
];
const RESOLUTIONS = [640, 320, 512, 680, 937.25, 960, 1024];

/** The engine's BUCKETS_640 and its find_nearest_bucket for every picture and resolution. */
async function engineAnswers(): Promise<{ buckets: number[][]; nearest: number[][] }> {
  const config = loadConfig({});
  const script = `
import json, sys
from framepack_engine.conditioning.image import BUCKETS_640, find_nearest_bucket
pictures, resolutions = json.loads(sys.argv[1])
print(json.dumps({
  "buckets": BUCKETS_640,
  "nearest": [find_nearest_bucket(p["height"], p["width"], r) for r in resolutions for p in pictures],
}))`;
  const { stdout } = await promisify(execFile)(
    enginePython(config),
    ["-c", script, JSON.stringify([PICTURES, RESOLUTIONS])],
    { cwd: config.engineDir },
  );
  return JSON.parse(stdout) as { buckets: number[][]; nearest: number[][] };
}

describe("size buckets", () => {
  it("are the engine's list, and choose the bucket the engine chooses", async () => {
    const engine = await engineAnswers();
    expect(BUCKETS_640.map((bucket) => [...bucket])).toEqual(engine.buckets);
    const ours = RESOLUTIONS.flatMap((resolution) =>
      PICTURES.map((picture) => {
        const bucket = nearestBucket(picture, resolution);
        return [bucket.height, bucket.width];
      }),
    );
    expect(ours).toEqual(engine.nearest);
  });

  it("propose a portrait size for a portrait picture at the form's default area", () => {
    const imageDefault = { width: 1216, height: 704 };
    // The default's own aspect keeps the default size.
    expect(proposedSize({ width: 1216, height: 704 }, imageDefault)).toEqual(imageDefault);
    expect(resolutionOfArea(imageDefault)).toBeCloseTo(937, 0);
    const portrait = proposedSize({ width: 600, height: 900 }, imageDefault);
    expect(portrait).toEqual({ width: 752, height: 1120 });
    expect(portrait.height).toBeGreaterThan(portrait.width);
    // About the default's area, every side a multiple of 16.
    expect(portrait.width * portrait.height).toBeCloseTo(1216 * 704, -5);
    expect((portrait.width % 16) + (portrait.height % 16)).toBe(0);
  });

  it("propose FramePack's 640 bucket where the form has no default size", () => {
    expect(proposedSize({ width: 64, height: 96 })).toEqual({ width: 512, height: 768 });
    expect(proposedSize({ width: 1920, height: 1080 })).toEqual({ width: 832, height: 480 });
    expect(proposedSize({ width: 500, height: 500 })).toEqual({ width: 608, height: 640 });
  });
});
