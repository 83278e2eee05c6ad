// 1f-mc control images (`control_images` on /api/generate-image and /api/batch-images)
// through the API on the tiny engine, their refusals, and the CLI's --control
// (docs/api.md §2, docs/framepack.md §8.1).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../src/contract/requests.js";
import { recordSubmissions, runCli, type SubmissionRecorder } from "./helpers/cli-stand-in.js";
import { makeTempDir, writeTestImage } from "./helpers/engine.js";
import {
  postJson,
  startTestService,
  waitForJob,
  type JobView,
  type TestService,
} from "./helpers/service.js";

let service: TestService;
let image: string; // base64 PNG, 64x48
let mask: string; // base64 grayscale PNG, 64x48
let smallMask: string; // base64 grayscale PNG, 32x24

async function solid(width: number, height: number, channels: 1 | 3, value: number) {
  const pixels = Buffer.alloc(width * height * channels, value);
  const png = await sharp(pixels, { raw: { width, height, channels } }).png().toBuffer();
  return png.toString("base64");
}

beforeAll(async () => {
  service = await startTestService();
  image = await solid(64, 48, 3, 90);
  mask = await solid(64, 48, 1, 255);
  smallMask = await solid(32, 24, 1, 255);
});

afterAll(async () => {
  await service.close();
});

const small = { width: 128, height: 96, steps: 1 };

async function jobCount(): Promise<number> {
  const response = await fetch(`${service.url}/api/jobs?limit=200`);
  return ((await response.json()) as { jobs: unknown[] }).jobs.length;
}

describe("refusals name the field and create no job", () => {
  const control = (fields: Record<string, unknown> = {}) => ({ image: "__image__", ...fields });
  const cases: [string, string, Record<string, unknown>, string][] = [
    [
      "too many controls",
      "/api/generate-image",
      {
        prompt: "x",
        control_images: Array.from({ length: LIMITS.maxControlImages + 1 }, () => control()),
      },
      "control_images",
    ],
    [
      "an empty control list",
      "/api/generate-image",
      { prompt: "x", control_images: [] },
      "control_images",
    ],
    [
      "an index out of range",
      "/api/generate-image",
      { prompt: "x", control_images: [control({ index: 65 })] },
      "control_images[0].index",
    ],
    [
      "an index in the target's slot",
      "/api/generate-image",
      { prompt: "x", target_index: 5, control_images: [control(), control({ index: 5 })] },
      "control_images[1].index",
    ],
    [
      "an index at a swept target index",
      "/api/batch-images",
      { prompts: ["x"], target_indices: [3, 4], control_images: [control({ index: 4 })] },
      "control_images[0].index",
    ],
    [
      "a mask of another size",
      "/api/batch-images",
      { prompts: ["x"], control_images: [control({ mask: "__small_mask__" })] },
      "control_images[0].mask",
    ],
    [
      "a control that is not an image",
      "/api/generate-image",
      { prompt: "x", control_images: [control({ image: "bm90IGFuIGltYWdl" })] },
      "control_images[0].image",
    ],
    [
      "an unknown control field",
      "/api/generate-image",
      { prompt: "x", control_images: [control({ weight: 1 })] },
      "control_images[0].weight",
    ],
  ];

  it.each(cases)("%s", async (_name, path, template, field) => {
    const text = JSON.stringify(template)
      .replaceAll("__image__", image)
      .replaceAll("__small_mask__", smallMask);
    const before = await jobCount();
    const response = await postJson(`${service.url}${path}`, JSON.parse(text) as unknown);
    expect([400, 422], JSON.stringify(response.body)).toContain(response.status);
    const error = response.body.error as { details: { field: string }[] };
    expect(error.details.map((detail) => detail.field).join(" ")).toContain(field);
    expect(await jobCount()).toBe(before);
  });
});

describe("on the tiny engine", () => {
  async function completed(path: string, body: unknown): Promise<JobView> {
    const response = await postJson(`${service.url}${path}`, body);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const job = await waitForJob(service.url, response.body.job_id as string);
    expect(job.status, JSON.stringify(job.error)).toBe("completed");
    return job;
  }

  it("an image from two controls stores them and the mask as PNG and records their indices", async () => {
    const job = await completed("/api/generate-image", {
      prompt: "two references",
      input_image: image,
      control_images: [
        { image, mask },
        { image, index: 1 },
      ],
      target_index: 9,
      no_2x: true,
      no_4x: true,
      ...small,
    });
    const inputs = join(service.dataDir, "jobs", job.id, "inputs");
    for (const name of ["input.png", "control-0.png", "control-0-mask.png", "control-1.png"]) {
      expect(readFileSync(join(inputs, name)).subarray(1, 4).toString("latin1")).toBe("PNG");
    }
    expect(existsSync(join(inputs, "control-1-mask.png"))).toBe(false);
    const record = (await (await fetch(`${service.url}/api/jobs/${job.id}`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(record.data.control_images).toEqual([
      { index: 0, mask: true },
      { index: 1, mask: false },
    ]);
    const png = await fetch(`${service.url}${job.result?.images[0]?.url ?? ""}`);
    const text = Buffer.from(await png.arrayBuffer()).toString("latin1");
    expect(text).toContain("Control indices: 0, 1");
  });

  it("a batch shares its controls", async () => {
    const job = await completed("/api/batch-images", {
      prompts: ["one", "two"],
      control_images: [{ image, index: 2 }],
      batch_size: 2,
      ...small,
    });
    expect(job.result?.images).toHaveLength(2);
  });
});

describe("the CLI's --control", () => {
  let recorder: SubmissionRecorder;

  beforeAll(async () => {
    recorder = await recordSubmissions();
  });

  afterAll(async () => {
    await recorder.close();
  });

  const run = (args: string[]) => runCli([...args, "--no-wait"], recorder.url);
  const lastBody = () => recorder.bodies.at(-1)?.body;

  it("image and batch: --control FILE, FILE:INDEX, FILE:INDEX:MASK and FILE::MASK", async () => {
    const dir = makeTempDir("cli-control-flags");
    const file = await writeTestImage(dir, 64, 48);
    const png = readFileSync(file).toString("base64");
    const image = await run([
      "image",
      "-p",
      "x",
      "--control",
      file,
      "--control",
      `${file}:1`,
      "--control",
      `${file}:3:${file}`,
    ]);
    expect(image.code, image.stderr).toBe(0);
    expect(lastBody()?.control_images).toEqual([
      { image: png },
      { image: png, index: 1 },
      { image: png, index: 3, mask: png },
    ]);
    const batch = await run(["batch", "-p", "x", "--control", `${file}::${file}`]);
    expect(batch.code, batch.stderr).toBe(0);
    expect(lastBody()?.control_images).toEqual([{ image: png, mask: png }]);
  });

  it("a malformed --control is refused before anything is sent", async () => {
    const before = recorder.bodies.length;
    for (const value of ["in.png:one", ":1"]) {
      const { code, stderr } = await run(["image", "-p", "x", "--control", value]);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/--control/);
    }
    expect(recorder.bodies.length).toBe(before);
  });
});
