// The legacy FramePack-FastAPI routes (docs/api.md §7): what the HTTP layer decides alone,
// on a service without engines, then the whole flow against a real engine on the tiny set.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Fastify from "fastify";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEGACY_DEFAULTS } from "../src/api/legacy/form.js";
import { LegacyPaths } from "../src/api/legacy/paths.js";
import { legacyRoutes } from "../src/api/legacy/routes.js";
import { JobEventHub } from "../src/jobs/events.js";
import {
  assembleEngineFreeService,
  startTestService,
  type AssembledService,
  type TestService,
} from "./helpers/service.js";
import { openSse } from "./helpers/sse.js";

const LEGACY_ID = /^[0-9a-f]{8}$/;

async function smallPng(width = 64, height = 48): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3, 90);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A multipart body as FramePack-FastAPI clients send it. */
function generateForm(image: Buffer | string | null, fields: Record<string, string> = {}) {
  const form = new FormData();
  if (typeof image === "string") form.append("image", image);
  else if (image) form.append("image", new Blob([new Uint8Array(image)]), "start.png");
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/** The form as a raw body and headers, for app.inject. */
async function injectable(form: FormData) {
  const request = new Request("http://localhost/generate", { method: "POST", body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { "content-type": request.headers.get("content-type") ?? "" },
  };
}

describe("legacy routes without engines", () => {
  let service: AssembledService;
  let png: Buffer;

  beforeAll(async () => {
    service = await assembleEngineFreeService();
    png = await smallPng();
  });

  afterAll(async () => {
    await service.close();
  });

  async function generate(image: Buffer | string | null, fields: Record<string, string> = {}) {
    const response = await service.app.inject({
      method: "POST",
      url: "/generate",
      ...(await injectable(generateForm(image, fields))),
    });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  }

  async function get(url: string) {
    const response = await service.app.inject({ method: "GET", url });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  }

  it("answers /generate with an 8-hex job id, and /status shows it pending", async () => {
    const created = await generate(png, { prompt: "a cat" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      job_id: expect.stringMatching(LEGACY_ID) as string,
      message: "Video generation job added to queue.",
    });
    const id = created.body.job_id as string;
    expect((await get(`/status/${id}`)).body).toEqual({
      job_id: id,
      status: "pending",
      progress: 0,
      progress_step: 0,
      progress_total: 0,
      progress_info: "",
    });
    const job = await service.jobs.getByLegacyId(id);
    expect(job).toMatchObject({ type: "video", status: "pending", legacyId: id });
  });

  // The original's generate_video() Form defaults, and what each becomes in the shared
  // video request: [form field, its default, request field, value there].
  const defaults: [keyof typeof LEGACY_DEFAULTS, unknown, string, unknown][] = [
    [
      "prompt",
      "A character doing some simple body movements.",
      "prompt",
      "A character doing some simple body movements.",
    ],
    ["video_length", 5, "video_length", 5],
    ["seed", -1, "seed", -1],
    ["use_teacache", true, "use_teacache", true],
    ["gpu_memory_preservation", 6, "gpu_memory_preservation", 6],
    ["steps", 25, "steps", 25],
    ["cfg", 1, "cfg", 1],
    ["gs", 10, "gs", 10],
    ["rs", 0, "rs", 0],
    ["mp4_crf", 16, "mp4_crf", 16],
    ["lora_path", null, "lora_paths", null],
    ["lora_scale", 1, "lora_scales", null],
    ["sampling_mode", "reverse", "sampling_mode", "reverse"],
  ];

  it("the table covers every default", () => {
    expect(defaults.map(([name]) => name).sort()).toEqual(Object.keys(LEGACY_DEFAULTS).sort());
  });

  it.each(defaults)("%s defaults to %j (request %s: %j)", async (name, fallback, field, value) => {
    expect(LEGACY_DEFAULTS[name]).toEqual(fallback);
    const created = await generate(png);
    expect(created.status).toBe(200);
    const job = await service.jobs.getByLegacyId(created.body.job_id as string);
    expect((job?.data as Record<string, unknown> | undefined)?.[field]).toEqual(value);
  });

  it("takes width and height together as an extension; absent, the engine picks the bucket", async () => {
    const sized = await generate(png, { width: "130", height: "96" });
    const job = await service.jobs.getByLegacyId(sized.body.job_id as string);
    expect(job?.plan).toMatchObject({ width: 128, height: 96 });
    const alone = await generate(png, { width: "128" });
    expect(alone.status).toBe(422);
    expect(alone.body.detail).toMatchObject([{ type: "value_error", loc: ["body", "height"] }]);
  });

  it("an empty form value keeps the default, as FastAPI's Form does", async () => {
    const created = await generate(png, { steps: "", sampling_mode: "" });
    const job = await service.jobs.getByLegacyId(created.body.job_id as string);
    expect(job?.data).toMatchObject({ steps: 25, sampling_mode: "reverse" });
  });

  it("maps the given fields onto the shared video request", async () => {
    writeFileSync(join(service.loraDir, "style.safetensors"), "");
    const created = await generate(png, {
      prompt: "waves",
      video_length: "2.5",
      seed: "1234",
      use_teacache: "false",
      steps: "7",
      cfg: "1.5",
      gs: "8",
      rs: "0.2",
      mp4_crf: "18.0",
      gpu_memory_preservation: "4",
      lora_path: "style.safetensors",
      lora_scale: "0.8",
      sampling_mode: "forward",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const job = await service.jobs.getByLegacyId(created.body.job_id as string);
    expect(job?.data).toMatchObject({
      prompt: "waves",
      video_length: 2.5,
      seed: 1234,
      use_teacache: false,
      steps: 7,
      cfg: 1.5,
      gs: 8,
      rs: 0.2,
      mp4_crf: 18,
      gpu_memory_preservation: 4,
      lora_paths: ["style.safetensors"],
      lora_scales: [0.8],
      sampling_mode: "forward",
    });
    expect(job?.plan).toMatchObject({ transformer: "f1", seed: 1234, width: null, height: null });
  });

  it("seed -1 draws a fresh random seed each time", async () => {
    const seeds = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      const created = await generate(png, { seed: "-1" });
      const job = await service.jobs.getByLegacyId(created.body.job_id as string);
      seeds.add(job?.plan.kind === "video" ? job.plan.seed : undefined);
    }
    expect(seeds.size).toBe(3);
    expect([...seeds].every((seed) => typeof seed === "number" && seed >= 0)).toBe(true);
  });

  it("refuses bad fields with FastAPI's 422 list", async () => {
    const missing = await generate(null, { prompt: "x" });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({
      detail: [{ type: "missing", loc: ["body", "image"], msg: "Field required", input: null }],
    });

    const bad = await generate(png, { steps: "many", use_teacache: "maybe", sampling_mode: "up" });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([
      {
        type: "int_parsing",
        loc: ["body", "steps"],
        msg: "Input should be a valid integer, unable to parse string as an integer",
        input: "many",
      },
      {
        type: "bool_parsing",
        loc: ["body", "use_teacache"],
        msg: "Input should be a valid boolean, unable to interpret input",
        input: "maybe",
      },
      {
        type: "enum",
        loc: ["body", "sampling_mode"],
        msg: "Input should be 'reverse' or 'forward'",
        input: "up",
        ctx: { expected: "'reverse' or 'forward'" },
      },
    ]);

    const range = await generate(png, { steps: "0", mp4_crf: "60" });
    expect(range.status).toBe(422);
    expect(range.body.detail).toEqual([
      {
        type: "greater_than_equal",
        loc: ["body", "steps"],
        msg: "Input should be greater than or equal to 1",
        input: 0,
        ctx: { ge: 1 },
      },
      {
        type: "less_than_equal",
        loc: ["body", "mp4_crf"],
        msg: "Input should be less than or equal to 51",
        input: 60,
        ctx: { le: 51 },
      },
    ]);

    const text = await generate("not a file");
    expect(text.status).toBe(422);
    expect(text.body.detail).toMatchObject([{ type: "value_error", loc: ["body", "image"] }]);

    const lora = await generate(png, { lora_path: "../escape.safetensors" });
    expect(lora.status).toBe(422);
    expect(lora.body.detail).toMatchObject([{ type: "value_error", loc: ["body", "lora_path"] }]);
  });

  it("refuses a field whose text cannot be encoded as UTF-8 (a lone surrogate) with 422", async () => {
    // A part may name its own charset; as UTF-16 it can carry half a surrogate pair.
    const boundary = "----surrogate";
    const part = (headers: string, content: Buffer) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`),
        content,
        Buffer.from("\r\n"),
      ]);
    const payload = Buffer.concat([
      part('Content-Disposition: form-data; name="image"; filename="start.png"', png),
      part(
        'Content-Disposition: form-data; name="prompt"\r\nContent-Type: text/plain; charset=utf-16le',
        Buffer.from([0x61, 0x00, 0x00, 0xd8, 0x62, 0x00]), // "a", U+D800 alone, "b"
      ),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const before = await service.jobs.list({ limit: 200 });
    const response = await service.app.inject({
      method: "POST",
      url: "/generate",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      detail: [{ type: "string_unicode", loc: ["body", "prompt"] }],
    });
    expect((await service.jobs.list({ limit: 200 })).jobs).toHaveLength(before.jobs.length);
  });

  it("drains file parts other than the image, as FastAPI ignores them", async () => {
    const form = generateForm(png, { prompt: "a cat" });
    form.append("notes", new Blob([new Uint8Array(4 * 1024 * 1024)]), "notes.bin");
    const response = await service.app.inject({
      method: "POST",
      url: "/generate",
      ...(await injectable(form)),
    });
    expect(response.statusCode).toBe(200);
    const job = await service.jobs.getByLegacyId(response.json<{ job_id: string }>().job_id);
    expect(job?.data).toMatchObject({ prompt: "a cat" });
  });

  it("answers an unreadable image with 400 and a detail text", async () => {
    const response = await generate(Buffer.from("no image here"));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: expect.stringContaining("image") as string });
  });

  it("keeps multipart to the legacy routes: the JSON API still refuses it", async () => {
    const form = await injectable(generateForm(png, { prompt: "x" }));
    const response = await service.app.inject({
      method: "POST",
      url: "/api/generate-video",
      ...form,
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  });

  it("answers unknown jobs with the original's 404 texts", async () => {
    const id = "0badc0de";
    const cases: [string, string, number, string][] = [
      ["GET", `/status/${id}`, 404, "Job not found"],
      ["GET", `/result/${id}`, 404, `Job '${id}' not found or result file does not exist.`],
      ["GET", `/download/video/${id}`, 404, `Video file for job '${id}' not found.`],
      [
        "GET",
        `/input_image/${id}`,
        404,
        `Job '${id}' not found and input image file does not exist.`,
      ],
      ["POST", `/cancel/${id}`, 404, "Job not found"],
      ["GET", `/videos/${id}.mp4`, 404, "Video file not found"],
      ["GET", "/videos/..%2Fjobs.sqlite", 400, "Invalid filename."],
      ["GET", "/status/not-a-job-id", 404, "Job not found"],
    ];
    for (const [method, url, status, detail] of cases) {
      const response = await service.app.inject({ method: method as "GET" | "POST", url });
      expect({ url, status: response.statusCode, body: response.json<unknown>() }).toEqual({
        url,
        status,
        body: { detail },
      });
    }
  });

  it("says why a pending job has no result, and lets it be cancelled twice without a 500", async () => {
    const id = (await generate(png)).body.job_id as string;
    expect((await get(`/result/${id}`)).body).toEqual({
      detail: `Job '${id}' is not completed yet (status: pending).`,
    });
    expect((await get(`/download/video/${id}`)).body).toEqual({
      detail: `Video file for job '${id}' not found, status is 'pending'.`,
    });
    const cancel = () => service.app.inject({ method: "POST", url: `/cancel/${id}` });
    const first = await cancel();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ message: `Cancellation requested for job ${id}.` });
    const second = await cancel();
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ message: "Job is already cancelled." });
    expect((await get(`/status/${id}`)).body).toMatchObject({ status: "cancelled" });
  });

  it("serves the input image as JPEG", async () => {
    const id = (await generate(png)).body.job_id as string;
    const response = await service.app.inject({ method: "GET", url: `/input_image/${id}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("image/jpeg");
    expect(response.headers["content-disposition"]).toBe(`attachment; filename="input_${id}.jpg"`);
    expect(await sharp(response.rawPayload).metadata()).toMatchObject({
      format: "jpeg",
      width: 64,
      height: 48,
    });
  });

  it("lists the queue, the worker, the LoRAs, and cleans up", async () => {
    const id = (await generate(png, { prompt: "x".repeat(60), video_length: "3" })).body
      .job_id as string;
    const queue = (await get("/queue")).body.queue as Record<string, unknown>[];
    expect(queue.at(-1)).toEqual({
      job_id: id,
      status: "pending",
      prompt: `${"x".repeat(50)}...`,
      video_length: 3,
      progress: 0,
      progress_info: "",
      job_type: "video",
    });
    expect((await get("/worker/status")).body).toEqual({
      is_running: false,
      processing_job_id: null,
    });
    writeFileSync(join(service.loraDir, "a.safetensors"), "");
    expect((await get("/loras")).body.loras).toContain("a.safetensors");
    const cleanup = await service.app.inject({ method: "POST", url: "/cleanup_jobs" });
    expect(cleanup.json()).toEqual({
      message: "Cleanup process completed. Removed 0 old job entries.",
    });
  });

  it("runs the configured retention pass on POST /cleanup_jobs", async () => {
    const app = Fastify();
    await app.register(legacyRoutes, {
      jobs: service.jobs,
      events: new JobEventHub(),
      artifacts: service.artifacts,
      loraDir: service.loraDir,
      submitter: () => ({ apiKeyHash: null }),
      scope: () => "all" as const,
      paths: new LegacyPaths(),
      workerRunning: () => true,
      maxUploadBytes: 1024,
      cleanupJobs: () => Promise.resolve({ removed: ["a", "b"] }),
    });
    const response = await app.inject({ method: "POST", url: "/cleanup_jobs" });
    expect(response.json()).toEqual({
      message: "Cleanup process completed. Removed 2 old job entries.",
    });
    await app.close();
  });

  it("streams an unknown job's end as the original did", async () => {
    const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
    const messages = await (await openSse(`${url}/stream/status/0badc0de`)).read();
    expect(messages).toEqual([
      {
        id: null, // the original's streams carry no ids
        event: "status",
        data: JSON.stringify({ status: "error", message: "Job not found or cleaned up." }),
      },
    ]);
  });
});

it("ends open legacy streams when the server closes", async () => {
  const service = await assembleEngineFreeService();
  const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  const stream = await openSse(`${url}/video_stream`);
  const messages = stream.read();
  await service.close();
  expect(await messages).toEqual([]);
});

describe("legacy flow on a real engine", () => {
  // The width/height extension keeps CPU runs short (the 640 bucket takes ~45 s here).
  const small = { width: "128", height: "96" };
  let service: TestService;
  let png: Buffer;

  beforeAll(async () => {
    service = await startTestService();
    png = await smallPng();
  });

  afterAll(async () => {
    await service.close();
  });

  async function generate(fields: Record<string, string>): Promise<string> {
    const response = await fetch(`${service.url}/generate`, {
      method: "POST",
      body: generateForm(png, fields),
    });
    const body = (await response.json()) as { job_id: string };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body.job_id;
  }

  it("/generate -> /stream/status -> /status -> /result -> /download/video, and /video_stream", async () => {
    const videoStream = await openSse(`${service.url}/video_stream`);
    const id = await generate({ prompt: "it moves", video_length: "1", steps: "2", ...small });
    const announced = videoStream.read((message) => message.data === `${id}.mp4`);
    const events = await (await openSse(`${service.url}/stream/status/${id}`)).read();

    // Progress events carry the status body; the last one is the final status.
    const progress = events.filter((event) => event.event === "progress");
    const bodies = progress.map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(Object.keys(bodies[0] ?? {})).toEqual([
      "job_id",
      "status",
      "progress",
      "progress_step",
      "progress_total",
      "progress_info",
    ]);
    expect(bodies.map((body) => body.job_id)).toEqual(bodies.map(() => id));
    expect(bodies.map((body) => body.status)).toContain("processing");
    const percents = bodies.map((body) => body.progress as number);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(bodies.at(-1)).toMatchObject({ status: "completed", progress: 100 });
    expect(events.at(-1)).toEqual({
      id: null,
      event: "status",
      data: JSON.stringify({ status: "completed", message: "Job finished." }),
    });

    const status = (await (await fetch(`${service.url}/status/${id}`)).json()) as object;
    expect(status).toEqual({
      job_id: id,
      status: "completed",
      progress: 100,
      progress_step: expect.any(Number) as number,
      progress_total: expect.any(Number) as number,
      progress_info: "Finished",
    });

    const result = (await (await fetch(`${service.url}/result/${id}`)).json()) as {
      video_url: string;
      thumbnail_base64: string | null;
    };
    expect(result.video_url).toBe(`${service.url}/download/video/${id}`);
    expect(result.thumbnail_base64).toMatch(/^data:image\/jpeg;base64,/);

    const download = await fetch(result.video_url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("video/mp4");
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="${id}.mp4"`);
    const mp4 = Buffer.from(await download.arrayBuffer());
    expect(mp4.subarray(4, 8).toString("latin1")).toBe("ftyp");

    const part = await fetch(result.video_url, { headers: { range: "bytes=0-7" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-7/${mp4.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(mp4.subarray(0, 8))).toBe(true);

    // Announced once whole: the same bytes /videos serves, with the MP4 index written.
    const stream = await announced;
    expect(stream.at(-1)).toEqual({ id: null, event: null, data: `${id}.mp4` });
    expect(
      ((await (await fetch(`${service.url}/videos`)).json()) as string[]).includes(`${id}.mp4`),
    ).toBe(true);
    const listed = Buffer.from(
      await (await fetch(`${service.url}/videos/${id}.mp4`)).arrayBuffer(),
    );
    expect(listed.equals(mp4)).toBe(true);
    expect(mp4.includes(Buffer.from("moov"))).toBe(true);
  });

  it("cancels a running job, and a second cancel is no error", async () => {
    const id = await generate({ prompt: "long", video_length: "1", steps: "100", ...small });
    for (let i = 0; i < 600; i++) {
      const body = (await (await fetch(`${service.url}/status/${id}`)).json()) as {
        status: string;
      };
      if (body.status === "processing") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cancel = () => fetch(`${service.url}/cancel/${id}`, { method: "POST" });
    expect(await (await cancel()).json()).toEqual({
      message: `Cancellation requested for job ${id}.`,
    });
    const again = await cancel();
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ message: "Job is already cancelled." });
    const worker = (await (await fetch(`${service.url}/worker/status`)).json()) as object;
    expect(worker).toMatchObject({ is_running: true });
  });
});
