// The JSON API end to end against a real engine on the tiny model set.
import { existsSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineProcess } from "../src/engine/process.js";
import {
  getJob,
  pngText,
  postJson,
  startTestService,
  waitForJob,
  type JobView,
  type TestService,
} from "./helpers/service.js";
import { livePid } from "./helpers/engine.js";
import { openSse } from "./helpers/sse.js";

let service: TestService;
let image: string; // base64 PNG

beforeAll(async () => {
  service = await startTestService();
  const pixels = Buffer.alloc(64 * 48 * 3, 90);
  image = (
    await sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } })
      .png()
      .toBuffer()
  ).toString("base64");
});

afterAll(async () => {
  await service.close();
});

const small = { width: 128, height: 96, steps: 3 };

async function submit(path: string, body: unknown): Promise<string> {
  const response = await postJson(`${service.url}${path}`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  expect(response.body.status).toBe("pending");
  return response.body.job_id as string;
}

async function completed(id: string): Promise<JobView> {
  const job = await waitForJob(service.url, id);
  expect(job.status, JSON.stringify(job.error)).toBe("completed");
  return job;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(`${service.url}${url}`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function pixels(png: Buffer): Promise<Buffer> {
  return sharp(png).raw().toBuffer();
}

describe("the four job types", () => {
  it("generate-image: a PNG that carries its parameters; the reported seed reproduces it", async () => {
    const id = await submit("/api/generate-image", { prompt: "a lighthouse", ...small });
    const job = await completed(id);
    const [output] = job.result?.images ?? [];
    expect(output).toMatchObject({ width: 128, height: 96 });
    const png = await download(output?.url ?? "");
    expect(pngText(png).parameters).toContain("a lighthouse");
    expect(pngText(png).parameters).toContain(`Seed: ${String(output?.seed)}`);

    const again = await completed(
      await submit("/api/generate-image", { prompt: "a lighthouse", ...small, seed: output?.seed }),
    );
    const repeat = await download(again.result?.images[0]?.url ?? "");
    expect((await pixels(repeat)).equals(await pixels(png))).toBe(true);
  });

  it("batch-images: one image per prompt and the batch progress", async () => {
    const id = await submit("/api/batch-images", {
      prompts: ["one", "two", "three"],
      seeds: [1, 2, 3],
      batch_size: 2,
      ...small,
    });
    const job = await completed(id);
    expect(job.result?.images.map((output) => output.seed)).toEqual([1, 2, 3]);
    expect(job.batch_progress).toMatchObject({ total: 3, completed: 3, failed: 0 });
  });

  it("batch-images runs in micro-batches that other jobs can pass between", async () => {
    const prompts = ["a", "b", "c", "d"];
    const batch = await submit("/api/batch-images", { prompts, batch_size: 1, ...small, steps: 8 });
    await waitForJob(service.url, batch, (job) => job.status === "processing");
    const image = await completed(
      await submit("/api/generate-image", { prompt: "in between", ...small }),
    );
    const finished = await completed(batch);
    expect(finished.batch_progress).toMatchObject({ total: 4, completed: 4 });
    expect(
      finished.result?.images.map((output) => output.url.split("/").pop()?.slice(0, 4)),
    ).toEqual(["0000", "0001", "0002", "0003"]);
    const times = (job: JobView) => job as unknown as { started_at: string; completed_at: string };
    expect(Date.parse(times(image).started_at)).toBeGreaterThan(
      Date.parse(times(finished).started_at),
    );
    expect(Date.parse(times(image).completed_at)).toBeLessThan(
      Date.parse(times(finished).completed_at),
    );
    expect(finished.attempts).toBe(1);
  });

  it("transfer-image and generate-video", async () => {
    const transfer = await completed(
      await submit("/api/transfer-image", {
        prompt: "wearing it",
        source_image: image,
        target_image: `data:image/png;base64,${image}`,
        ...small,
      }),
    );
    expect(transfer.result?.images).toHaveLength(1);
    const video = await completed(
      await submit("/api/generate-video", {
        prompt: "it moves",
        image,
        video_length: 1,
        steps: 2,
        width: 128,
        height: 96,
        use_teacache: false,
      }),
    );
    expect(video.result?.video?.frames).toBe(37);
    const mp4 = await download(video.result?.video?.url ?? "");
    expect(mp4.subarray(4, 8).toString("latin1")).toBe("ftyp");
  });
});

describe("a finished job", () => {
  interface FinalFields {
    status: string;
    phase: string | null;
    progress: number;
    step: number;
    total: number;
    info: string;
    started_at: string;
    completed_at: string;
    duration_s: number | null;
  }

  async function record(id: string): Promise<FinalFields> {
    return (await (await fetch(`${service.url}/api/jobs/${id}`)).json()) as FinalFields;
  }

  function expectFinal(job: FinalFields, steps: number): void {
    // Not the engine's last report (a decode at step 0 of 1, or the MP4 write).
    expect(job).toMatchObject({ status: "completed", phase: "done", progress: 1 });
    expect(job.total).toBe(steps);
    expect(job.step).toBe(job.total);
    expect(job.info).toMatch(/^Finished in \d/);
    const ms = Date.parse(job.completed_at) - Date.parse(job.started_at);
    expect(job.duration_s).toBeCloseTo(ms / 1000, 3);
    expect(job.duration_s).toBeGreaterThan(0);
  }

  it("ends in phase done with its steps and its duration: an image, and its events", async () => {
    const id = await submit("/api/generate-image", { prompt: "finished", ...small });
    const pending = await record(id);
    expect(pending.duration_s).toBeNull();
    const events = await readEvents(`${service.url}/api/jobs/${id}/events`, {});
    await completed(id);
    expectFinal(await record(id), small.steps);
    // The last progress event is the final one, before the last status and done.
    const progress = events.filter((event) => event.name === "progress");
    expect(progress.at(-1)?.data).toMatchObject({ phase: "done", progress: 1 });
    expect(events.slice(-3).map((event) => event.name)).toEqual(["progress", "status", "done"]);
    expect(events.at(-1)?.data).toMatchObject({ phase: "done" });
    expect((events.at(-1)?.data as FinalFields).duration_s).toBeGreaterThan(0);
  });

  it("a video too, whose last report was the MP4 write", async () => {
    const id = await submit("/api/generate-video", {
      prompt: "finished video",
      image,
      video_length: 1,
      steps: 2,
      width: 128,
      height: 96,
      use_teacache: false,
    });
    await completed(id);
    const job = await record(id);
    expectFinal(job, job.total);
    expect(job.total).toBeGreaterThanOrEqual(2);
  });
});

async function readEvents(url: string, headers: Record<string, string>) {
  const stream = await openSse(url, headers);
  const messages = await stream.read((message) => message.event === "done");
  return messages.map((message) => ({
    id: message.id ?? 0,
    name: message.event ?? "",
    data: JSON.parse(message.data) as unknown,
  }));
}

describe("server-sent events", () => {
  it("arrive in order, end with done, and resume after Last-Event-ID", async () => {
    const id = await submit("/api/generate-image", { prompt: "events", ...small, steps: 6 });
    const url = `${service.url}/api/jobs/${id}/events`;
    const events = await readEvents(url, {});
    const names = events.map((event) => event.name);
    expect(names[0]).toBe("status");
    expect(names.at(-1)).toBe("done");
    expect(names).toContain("progress");
    const statuses = events
      .filter((event) => event.name === "status")
      .map((event) => (event.data as { status: string }).status);
    expect(statuses).toEqual(["pending", "processing", "completed"]);
    const first = events[0]?.id ?? 0;
    expect(events.map((event) => event.id)).toEqual([...events.keys()].map((i) => first + i));
    expect(events.at(-1)?.data).toMatchObject({ id, status: "completed" });

    const resumed = await readEvents(url, { "last-event-id": String(events[2]?.id) });
    expect(resumed[0]?.id).toBe(events[3]?.id);
    expect(resumed.map((event) => event.name)).toEqual(names.slice(3));
  });

  it("take a Last-Event-ID never handed out as none: a running job's stream replays and ends", async () => {
    const id = await submit("/api/generate-image", { prompt: "future", ...small, steps: 20 });
    await waitForJob(service.url, id, (job) => job.status === "processing");
    for (const future of ["1e309", "9007199254740991"]) {
      const url = `${service.url}/api/jobs/${id}/events`;
      const events = await readEvents(url, { "last-event-id": future });
      expect(events[0]?.name).toBe("status");
      expect(events.at(-1)?.data).toMatchObject({ id, status: "completed" });
    }
  });
});

describe("cancel", () => {
  it("stops a running job within a step, removes a pending one, and the engine runs the next", async () => {
    const running = await submit("/api/generate-image", { prompt: "long", ...small, steps: 100 });
    await waitForJob(service.url, running, (job) => job.status === "processing");
    const waiting = await submit("/api/generate-image", {
      prompt: "waiting",
      ...small,
      steps: 100,
    });
    expect((await getJob(service.url, waiting)).queue_position).toBe(0);

    const cancelledPending = await postJson(`${service.url}/api/jobs/${waiting}/cancel`, {});
    expect(cancelledPending.body).toMatchObject({ status: "cancelled", started_at: null });
    const cancelledRunning = await postJson(`${service.url}/api/jobs/${running}/cancel`, {});
    expect(cancelledRunning.body.status).toBe("cancelled");
    const twice = await postJson(`${service.url}/api/jobs/${running}/cancel`, {});
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { code: "job_finished" } });

    await completed(await submit("/api/generate-image", { prompt: "next", ...small }));
    expect((await getJob(service.url, running)).status).toBe("cancelled");
  });
});

describe("an engine that crashes mid-job", () => {
  it("is restarted and the job is retried", async () => {
    const id = await submit("/api/generate-image", { prompt: "crash", ...small, steps: 60 });
    await waitForJob(service.url, id, (job) => job.status === "processing");
    const engine = service.pool.slots()[0]?.engine as EngineProcess;
    process.kill(livePid(engine.pid), "SIGKILL");
    const job = await completed(id);
    expect(job.attempts).toBe(2);
    await completed(await submit("/api/generate-image", { prompt: "after the crash", ...small }));
  });
});

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small file whose header claims a huge canvas: must be refused from the header alone. */
function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.alloc(1000))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("bad input", () => {
  const cases: [string, string, unknown, number, string][] = [
    ["malformed JSON", "/api/generate-image", "{not json", 400, "body"],
    ["an unknown field", "/api/generate-image", { prompt: "x", colour: "red" }, 422, "colour"],
    ["a missing required field", "/api/generate-video", { prompt: "x" }, 422, "image"],
    ["an out-of-range value", "/api/generate-image", { prompt: "x", steps: 1000 }, 422, "steps"],
    [
      "bad base64",
      "/api/generate-image",
      { prompt: "x", input_image: "%%%not-base64%%%" },
      400,
      "input_image",
    ],
    [
      "a decompression bomb",
      "/api/generate-video",
      { prompt: "x", image: bombPng(60000, 60000).toString("base64") },
      413,
      "image",
    ],
    [
      "a LoRA escaping the folder",
      "/api/generate-image",
      { prompt: "x", lora_paths: ["../secret"] },
      422,
      "lora_paths[0]",
    ],
    [
      "an absolute LoRA path",
      "/api/generate-image",
      { prompt: "x", lora_paths: ["/etc/passwd"] },
      422,
      "lora_paths[0]",
    ],
    [
      "a LoRA link pointing out",
      "/api/generate-image",
      { prompt: "x", lora_paths: ["outside.safetensors"] },
      422,
      "lora_paths[0]",
    ],
    [
      "wrong lora_scales length",
      "/api/generate-image",
      { prompt: "x", lora_paths: ["a", "b"], lora_scales: [1] },
      422,
      "lora_scales",
    ],
    [
      "a batch seed list of the wrong length",
      "/api/batch-images",
      { prompts: ["a", "b"], seeds: [1] },
      422,
      "seeds",
    ],
  ];

  beforeAll(() => {
    const outside = join(service.dataDir, "outside.safetensors");
    writeFileSync(outside, "not a lora");
    symlinkSync(outside, join(service.loraDir, "outside.safetensors"));
  });

  it.each(cases)(
    "%s is refused with the envelope, naming the field, and creates no job",
    async (_name, path, body, status, field) => {
      const before = (await (await fetch(`${service.url}/api/jobs?limit=200`)).json()) as {
        jobs: unknown[];
      };
      const response = await postJson(`${service.url}${path}`, body);
      expect(response.status).toBe(status);
      const error = response.body.error as {
        code: string;
        message: string;
        details: { field: string }[];
      };
      expect(error.code).toMatch(/^[a-z_]+$/);
      expect(error.message).not.toMatch(/at .*\.js/); // never a stack trace
      if (field !== "body") expect(error.details.map((detail) => detail.field)).toContain(field);
      const after = (await (await fetch(`${service.url}/api/jobs?limit=200`)).json()) as {
        jobs: unknown[];
      };
      expect(after.jobs.length).toBe(before.jobs.length);
    },
  );

  it("a 50 MB body is refused with 413", async () => {
    const response = await postJson(`${service.url}/api/generate-image`, {
      prompt: "x".repeat(50 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: "body_too_large" } });
  });

  it("a refused transfer leaves none of its images on disk", async () => {
    const jobsDir = join(service.dataDir, "jobs");
    const before = existsSync(jobsDir) ? readdirSync(jobsDir) : [];
    // Large enough that its decoding is still running when the bad mask is refused.
    const noise = await sharp({
      create: {
        width: 1600,
        height: 1600,
        channels: 3,
        background: "black",
        noise: { type: "gaussian", mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    const response = await postJson(`${service.url}/api/transfer-image`, {
      prompt: "x",
      target_image: noise.toString("base64"),
      source_image: noise.toString("base64"),
      target_mask: "%%%not-base64%%%",
    });
    expect(response.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Earlier tests' jobs may still be writing outputs; only inputs would be this one's.
    const leaked = (existsSync(jobsDir) ? readdirSync(jobsDir) : []).filter(
      (dir) => !before.includes(dir) && existsSync(join(jobsDir, dir, "inputs")),
    );
    expect(leaked).toEqual([]);
  });

  it("unknown jobs and routes are 404 with the envelope", async () => {
    const job = await fetch(`${service.url}/api/jobs/nope`);
    expect(job.status).toBe(404);
    expect(await job.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("discovery", () => {
  it("serves the OpenAPI document with the request schemas, and the docs page", async () => {
    const document = (await (await fetch(`${service.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/generate-image",
        "/api/batch-images",
        "/api/transfer-image",
        "/api/generate-video",
        "/api/jobs/{id}",
      ]),
    );
    expect((await fetch(`${service.url}/docs`)).status).toBeLessThan(400);
  });

  it("runs the document's image examples, as Swagger UI sends them, to completion", async () => {
    // test/openapi.test.ts checks that every example is accepted; the video example is
    // the size of the video tests above, so only the quick ones run here.
    const document = (await (await fetch(`${service.url}/openapi.json`)).json()) as {
      paths: Record<string, { post: { requestBody: { content: Record<string, Example> } } }>;
    };
    type Example = { example: unknown };
    const paths = ["/api/generate-image", "/api/batch-images", "/api/transfer-image"];
    const ids: string[] = [];
    for (const path of paths) {
      const example = document.paths[path]?.post.requestBody.content["application/json"]?.example;
      ids.push(await submit(path, example));
    }
    for (const id of ids) await completed(id);
  });
});
