// Video beyond one start image (end frame, loop, section prompts, keyframes) and `count`
// on /api/batch-images, through the API on the tiny engine; and the CLI's flags for them
// (docs/api.md §2, docs/framepack.md §7.5-§7.8).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
let image: string; // base64 PNG
let other: string; // another base64 PNG

async function solid(value: number): Promise<string> {
  const pixels = Buffer.alloc(64 * 48 * 3, value);
  const png = await sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } })
    .png()
    .toBuffer();
  return png.toString("base64");
}

beforeAll(async () => {
  service = await startTestService();
  image = await solid(90);
  other = await solid(200);
});

afterAll(async () => {
  await service.close();
});

const small = { width: 128, height: 96, steps: 1 };

async function completed(path: string, body: unknown): Promise<JobView> {
  const response = await postJson(`${service.url}${path}`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const job = await waitForJob(service.url, response.body.job_id as string);
  expect(job.status, JSON.stringify(job.error)).toBe("completed");
  return job;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(`${service.url}${url}`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("refusals name the field and create no job", () => {
  const video = (fields: Record<string, unknown>) => ({
    prompt: "x",
    image: "__image__",
    video_length: 2.4,
    ...fields,
  });
  const cases: [string, string, Record<string, unknown>, string][] = [
    [
      "an end image with F1",
      "/api/generate-video",
      video({ sampling_mode: "forward", end_image: "__image__" }),
      "end_image",
    ],
    [
      "a loop with F1",
      "/api/generate-video",
      video({ sampling_mode: "forward", loop: true }),
      "loop",
    ],
    [
      "keyframes with F1",
      "/api/generate-video",
      video({ sampling_mode: "forward", keyframes: [{ section: 0, image: "__image__" }] }),
      "keyframes",
    ],
    [
      "a keyframe past the video's sections",
      "/api/generate-video",
      video({ keyframes: [{ section: 2, image: "__image__" }] }),
      "keyframes[0].section",
    ],
    [
      "an end strength of 0",
      "/api/generate-video",
      video({ end_image: "__image__", end_frame_strength: 0 }),
      "end_frame_strength",
    ],
    [
      "unsorted section prompts",
      "/api/generate-video",
      video({
        section_prompts: [
          { start: 2, prompt: "b" },
          { start: 1, prompt: "a" },
        ],
      }),
      "section_prompts[1].start",
    ],
    [
      "a negative blend",
      "/api/generate-video",
      video({ prompt_blend_sections: -1 }),
      "prompt_blend_sections",
    ],
    ["an unknown block cache", "/api/generate-video", video({ cache: "fastcache" }), "cache"],
    [
      "magcache with the legacy switch off",
      "/api/generate-video",
      video({ cache: "magcache", use_teacache: false }),
      "cache",
    ],
    ["count with two prompts", "/api/batch-images", { prompts: ["a", "b"], count: 2 }, "count"],
    ["count over 64", "/api/batch-images", { prompts: ["a"], count: 65 }, "count"],
    [
      "count with the wrong number of seeds",
      "/api/batch-images",
      { prompts: ["a"], count: 3, seeds: [1, 2] },
      "seeds",
    ],
  ];

  it.each(cases)("%s", async (_name, path, template, field) => {
    const body = JSON.parse(JSON.stringify(template).replaceAll("__image__", image)) as unknown;
    const before = (await (await fetch(`${service.url}/api/jobs?limit=200`)).json()) as {
      jobs: unknown[];
    };
    const response = await postJson(`${service.url}${path}`, body);
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    const error = response.body.error as { details: { field: string }[] };
    expect(error.details.map((detail) => detail.field)).toContain(field);
    const after = (await (await fetch(`${service.url}/api/jobs?limit=200`)).json()) as {
      jobs: unknown[];
    };
    expect(after.jobs.length).toBe(before.jobs.length);
  });
});

describe("on the tiny engine", () => {
  it("an end frame video stores its inputs as PNG, records their sections, and its MP4 carries the parameters", async () => {
    const job = await completed("/api/generate-video", {
      prompt: "a door opens",
      image,
      end_image: other,
      end_frame_strength: 0.4,
      keyframes: [{ section: 0, image: other }],
      section_prompts: [{ start: 1.1, prompt: "it closes, again" }],
      video_length: 2.4,
      latent_window_size: 9,
      ...small,
    });
    const inputs = join(service.dataDir, "jobs", job.id, "inputs");
    for (const name of ["input.png", "end.png", "keyframe-0-section-0.png"]) {
      expect(readFileSync(join(inputs, name)).subarray(1, 4).toString("latin1")).toBe("PNG");
    }
    const record = (await (await fetch(`${service.url}/api/jobs/${job.id}`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(record.data).not.toHaveProperty("end_image");
    expect(record.data.keyframes).toEqual([{ section: 0 }]);
    expect(job.result?.video?.frames).toBe(73);
    // The latent history is kept with the outputs, for continuing the video.
    const outputs = join(service.dataDir, "jobs", job.id, "outputs");
    expect(existsSync(join(outputs, "latents.safetensors"))).toBe(true);
    const mp4 = (await download(job.result?.video?.url ?? "")).toString("latin1");
    expect(mp4).toContain("a door opens");
    expect(mp4).toContain("End frame strength: 0.4");
    expect(mp4).toContain('Section prompts: [[1.1, "it closes, again"]]');
    expect(mp4).toContain("Keyframe sections: 0");
  });

  it("a loop ends on its start image; section prompts and MagCache with F1", async () => {
    const loop = await completed("/api/generate-video", {
      prompt: "round and round",
      image,
      loop: true,
      video_length: 1,
      ...small,
    });
    expect(existsSync(join(service.dataDir, "jobs", loop.id, "inputs", "end.png"))).toBe(false);
    const loopMp4 = (await download(loop.result?.video?.url ?? "")).toString("latin1");
    expect(loopMp4).toContain("Loop: true");
    const f1 = await completed("/api/generate-video", {
      prompt: "forward",
      image,
      sampling_mode: "forward",
      section_prompts: [{ start: 1, prompt: "then faster" }],
      prompt_blend_sections: 1,
      video_length: 2.4,
      cache: "magcache",
      ...small,
    });
    expect(f1.result?.video?.frames).toBe(73);
    expect(f1.result?.metadata).toMatchObject({ cache: { kind: "magcache" } });
    const f1Mp4 = (await download(f1.result?.video?.url ?? "")).toString("latin1");
    expect(f1Mp4).toContain("Cache: magcache");
  });

  it("count: one prompt, N images with N distinct seeds", async () => {
    const job = await completed("/api/batch-images", {
      prompts: ["five foxes"],
      count: 5,
      batch_size: 3,
      ...small,
    });
    expect(job.result?.images).toHaveLength(5);
    expect(new Set(job.result?.seeds).size).toBe(5);
    const given = await completed("/api/batch-images", {
      prompts: ["two foxes"],
      count: 2,
      seeds: [11, 12],
      ...small,
    });
    expect(given.result?.seeds).toEqual([11, 12]);
  });
});

describe("the CLI's flags", () => {
  let recorder: SubmissionRecorder;

  beforeAll(async () => {
    recorder = await recordSubmissions();
  });

  afterAll(async () => {
    await recorder.close();
  });

  async function submitted(args: string[]): Promise<Record<string, unknown>> {
    const { code, stderr } = await runCli([...args, "--no-wait"], recorder.url);
    expect(code, stderr).toBe(0);
    const last = recorder.bodies.at(-1);
    if (!last) throw new Error("nothing was submitted");
    return last.body;
  }

  it("video: --end-image, --end-strength, --section-prompt, --prompt-blend-sections, --keyframe", async () => {
    const dir = makeTempDir("cli-video-flags");
    const start = await writeTestImage(dir, 64, 48);
    const body = await submitted([
      "video",
      start,
      "-p",
      "x",
      "--end-image",
      start,
      "--end-strength",
      "0.3",
      "--section-prompt",
      "2.5=she turns = around",
      "--section-prompt",
      "1=first",
      "--prompt-blend-sections",
      "1",
      "--keyframe",
      `1=${start}`,
    ]);
    const png = readFileSync(start).toString("base64");
    expect(body).toMatchObject({
      end_image: png,
      end_frame_strength: 0.3,
      section_prompts: [
        { start: 1, prompt: "first" },
        { start: 2.5, prompt: "she turns = around" },
      ],
      prompt_blend_sections: 1,
      keyframes: [{ section: 1, image: png }],
    });
    expect(body).not.toHaveProperty("loop");
  });

  it("video --loop, batch --count", async () => {
    const dir = makeTempDir("cli-loop-flags");
    const start = await writeTestImage(dir, 64, 48);
    expect(await submitted(["video", start, "-p", "x", "--loop"])).toMatchObject({ loop: true });
    expect(await submitted(["batch", "-p", "x", "--count", "4"])).toMatchObject({
      prompts: ["x"],
      count: 4,
    });
  });

  it("a malformed --section-prompt or --keyframe is refused before anything is sent", async () => {
    const before = recorder.bodies.length;
    for (const args of [
      ["video", "in.png", "-p", "x", "--section-prompt", "no-seconds"],
      ["video", "in.png", "-p", "x", "--keyframe", "one=in.png"],
    ]) {
      const { code, stderr } = await runCli(args, recorder.url);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/--section-prompt|--keyframe/);
    }
    expect(recorder.bodies.length).toBe(before);
  });
});
