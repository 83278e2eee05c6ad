// API keys as tenants (docs/api.md §8): each key lists, reads, downloads, follows and
// cancels only its own jobs, and another key's job answers exactly as a job that does
// not exist; admin keys see and act on everything; /api/system and /metrics hold no
// job of anyone. Every route, the legacy ones included, against a scripted engine that
// writes its outputs when the test lets it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadApiKeys } from "../src/api/auth.js";
import { loadConfig } from "../src/config.js";
import { EnginePool } from "../src/engine/pool.js";
import type { Plan, ResultEvent } from "../src/engine/protocol.js";
import { makeTempDir, testLogger } from "./helpers/engine.js";
import { ScriptedEngine } from "./helpers/scripted-engine.js";
import { assembleTestService, type AssembledService } from "./helpers/service.js";
import { openSse } from "./helpers/sse.js";

const KEY_A = "tenant-a-0123456789abcdef0123456789abcdef";
const KEY_B = "tenant-b-0123456789abcdef0123456789abcdef";
const ADMIN = "admin-key-0123456789abcdef0123456789abcdef";
const MISSING_UUID = "00000000-0000-4000-8000-000000000000";
const MISSING_LEGACY = "0badc0de";

/** Runs a plan by writing its output file; while `hold` is set, a run waits for release(). */
class WritingEngine extends ScriptedEngine {
  hold = false;
  readonly #waiting = new Map<string, () => void>();

  override async run(jobId: string, plan?: Plan): Promise<ResultEvent> {
    this.runs.push(jobId);
    if (this.hold) await new Promise<void>((resolve) => this.#waiting.set(jobId, resolve));
    const dir = (plan as { output_dir?: string } | undefined)?.output_dir ?? "";
    mkdirSync(dir, { recursive: true });
    const video = plan?.kind === "video";
    const path = join(dir, video ? "video.mp4" : "0000.png");
    writeFileSync(path, video ? "not really an mp4" : "not really a png");
    const file = video
      ? { path, kind: "video" as const, width: 64, height: 64, seed: 1, frames: 9, fps: 30 }
      : { path, kind: "image" as const, width: 64, height: 64, seed: 1 };
    return { type: "result", job_id: jobId, files: [file], metadata: {} };
  }

  release(jobId: string): void {
    this.#waiting.get(jobId)?.();
  }
}

const engine = new WritingEngine();
let service: AssembledService;
let base: string;
let png: Buffer;

beforeAll(async () => {
  const pool = new EnginePool({
    ids: ["engine-0"],
    start: () => Promise.resolve(engine),
    heartbeatTimeoutMs: 600_000,
    stallTimeoutMs: 600_000,
    restartDelayMs: { initial: 60_000, max: 60_000 },
    logger: testLogger,
  });
  service = await assembleTestService(pool, { apiKeys: [KEY_A, KEY_B], adminKeys: [ADMIN] });
  base = await service.app.listen({ host: "127.0.0.1", port: 0 });
  png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "gray" } })
    .png()
    .toBuffer();
});

afterAll(async () => {
  await service.close();
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function call(key: string, method: "GET" | "POST", url: string, payload?: object) {
  return service.app.inject({ method, url, headers: auth(key), ...(payload ? { payload } : {}) });
}

async function submitImage(key: string, prompt: string): Promise<string> {
  const response = await call(key, "POST", "/api/generate-image", { prompt });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ job_id: string }>().job_id;
}

async function submitLegacyVideo(key: string): Promise<string> {
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(png)]), "start.png");
  form.append("prompt", "a legacy video");
  const request = new Request("http://localhost/generate", { method: "POST", body: form });
  const response = await service.app.inject({
    method: "POST",
    url: "/generate",
    headers: { ...auth(key), "content-type": request.headers.get("content-type") ?? "" },
    payload: Buffer.from(await request.arrayBuffer()),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ job_id: string }>().job_id;
}

async function statusOf(id: string): Promise<string | undefined> {
  return (await service.jobs.get(id))?.status;
}

async function uuidOf(legacyId: string): Promise<string> {
  const job = await service.jobs.getByLegacyId(legacyId);
  if (!job) throw new Error(`no job ${legacyId}`);
  return job.id;
}

/**
 * Another key's job answers exactly as a job that does not exist: the same status and,
 * with the ids swapped, the same body.
 */
function expectSameAsMissing(
  other: { statusCode: number; body: string },
  missing: { statusCode: number; body: string },
  ids: [asked: string, missingId: string],
): void {
  expect(other.statusCode).toBe(missing.statusCode);
  expect(other.body.replaceAll(ids[0], ids[1])).toBe(missing.body);
}

/** The status and first event of an event stream (or the refusal's body). */
async function firstEvent(url: string, key: string) {
  const controller = new AbortController();
  const response = await fetch(`${base}${url}`, { headers: auth(key), signal: controller.signal });
  if (!response.headers.get("content-type")?.includes("text/event-stream")) {
    return { status: response.status, text: await response.text() };
  }
  const reader = response.body?.getReader();
  let text = "";
  while (reader && !text.includes("\n\n")) {
    const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  return { status: response.status, text: text.slice(0, text.indexOf("\n\n")) };
}

/** A's legacy video: held running in the first part, then completed. */
let runningA: string;
/** The jobs that completed, of both keys. */
const done = { legacyA: "", legacyB: "", imageA: "", imageB: "" };
/** What /video_stream announced to each key, opened before the videos finished. */
const announced: Partial<Record<"a" | "b" | "admin", Promise<string[]>>> = {};

describe("while jobs wait and run", () => {
  let pendingA: string;
  let pendingB: string;

  beforeAll(async () => {
    engine.hold = true;
    runningA = await submitLegacyVideo(KEY_A);
    await vi.waitFor(async () => {
      expect(await statusOf(await uuidOf(runningA))).toBe("processing");
    });
    pendingA = await submitImage(KEY_A, "waits for A");
    pendingB = await submitImage(KEY_B, "waits for B");
  });

  it("GET /worker/status shows the running job to its key and admins only", async () => {
    const worker = async (key: string) =>
      (await call(key, "GET", "/worker/status")).json<{ processing_job_id: string | null }>()
        .processing_job_id;
    expect(await worker(KEY_A)).toBe(runningA);
    expect(await worker(KEY_B)).toBeNull();
    expect(await worker(ADMIN)).toBe(runningA);
  });

  it("another key cannot cancel a job (404 as for none), its owner and admins can", async () => {
    const missing = await call(KEY_B, "POST", `/api/jobs/${MISSING_UUID}/cancel`);
    const other = await call(KEY_B, "POST", `/api/jobs/${pendingA}/cancel`);
    expect(other.statusCode).toBe(404);
    expectSameAsMissing(other, missing, [pendingA, MISSING_UUID]);
    const legacyOther = await call(KEY_B, "POST", `/cancel/${pendingA}`);
    expect(legacyOther.statusCode).toBe(404);
    expectSameAsMissing(legacyOther, await call(KEY_B, "POST", `/cancel/${MISSING_UUID}`), [
      pendingA,
      MISSING_UUID,
    ]);
    const runningOther = await call(KEY_B, "POST", `/cancel/${runningA}`);
    expectSameAsMissing(runningOther, await call(KEY_B, "POST", `/cancel/${MISSING_LEGACY}`), [
      runningA,
      MISSING_LEGACY,
    ]);
    expect(await statusOf(pendingA)).toBe("pending");
    expect(await statusOf(await uuidOf(runningA))).toBe("processing");

    const own = await call(KEY_A, "POST", `/api/jobs/${pendingA}/cancel`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: pendingA, status: "cancelled" });
    const byAdmin = await call(ADMIN, "POST", `/cancel/${pendingB}`);
    expect(byAdmin.json()).toEqual({ message: `Cancellation requested for job ${pendingB}.` });
    expect(await statusOf(pendingB)).toBe("cancelled");
  });
});

describe("once they finished", () => {
  beforeAll(async () => {
    // Each key follows /video_stream before A's video, then B's, finish.
    const follow = async (key: string, videos: number) => {
      const stream = await openSse(`${base}/video_stream`, auth(key));
      let left = videos;
      // Wrapped, so that awaiting the opened stream does not await its messages.
      return {
        messages: stream.read(() => --left === 0).then((read) => read.map((each) => each.data)),
      };
    };
    announced.a = (await follow(KEY_A, 1)).messages;
    announced.b = (await follow(KEY_B, 1)).messages;
    announced.admin = (await follow(ADMIN, 2)).messages;
    engine.hold = false;
    engine.release(await uuidOf(runningA));
    done.legacyA = runningA;
    done.imageA = await submitImage(KEY_A, "an image of A's");
    done.imageB = await submitImage(KEY_B, "an image of B's");
    done.legacyB = await submitLegacyVideo(KEY_B);
    const ids = [done.imageA, done.imageB, await uuidOf(runningA), await uuidOf(done.legacyB)];
    for (const id of ids) {
      await vi.waitFor(async () => {
        expect(await statusOf(id)).toBe("completed");
      });
    }
  });

  it("GET /api/jobs lists each key's own jobs; an admin's lists all", async () => {
    const listed = async (key: string, query = "") =>
      (await call(key, "GET", `/api/jobs?limit=200${query}`))
        .json<{ jobs: { id: string }[] }>()
        .jobs.map((job) => job.id);
    const legacyA = await uuidOf(done.legacyA);
    const legacyB = await uuidOf(done.legacyB);
    const ofA = await listed(KEY_A);
    const ofB = await listed(KEY_B);
    expect(ofA).toEqual(expect.arrayContaining([done.imageA, legacyA]));
    expect(ofA).not.toEqual(expect.arrayContaining([done.imageB]));
    expect(ofA.some((id) => ofB.includes(id))).toBe(false);
    expect(ofB).toEqual(expect.arrayContaining([done.imageB, legacyB]));
    expect(await listed(ADMIN)).toEqual(expect.arrayContaining([...ofA, ...ofB]));
    // Filters and pages stay within the key's jobs.
    expect(await listed(KEY_B, "&type=video")).toEqual([legacyB]);
    const firstPage = (await call(KEY_A, "GET", "/api/jobs?limit=1")).json<{
      next_cursor: string | null;
    }>();
    expect(firstPage.next_cursor).not.toBeNull();
    const secondPage = await call(
      KEY_A,
      "GET",
      `/api/jobs?limit=200&cursor=${encodeURIComponent(firstPage.next_cursor ?? "")}`,
    );
    for (const job of secondPage.json<{ jobs: { id: string }[] }>().jobs) {
      expect(ofA).toContain(job.id);
    }
  });

  it("GET /api/jobs/{id}, its events, its outputs and its webhook log: the owner's and admins', 404 as for none to others", async () => {
    const record = await call(KEY_A, "GET", `/api/jobs/${done.imageA}`);
    expect(record.statusCode).toBe(200);
    const url =
      record.json<{ result: { images: { url: string }[] } }>().result.images[0]?.url ?? "";
    expect(url).toMatch(new RegExp(`^/api/outputs/${done.imageA}/`));
    expect((await call(ADMIN, "GET", `/api/jobs/${done.imageA}`)).statusCode).toBe(200);
    expectSameAsMissing(
      await call(KEY_B, "GET", `/api/jobs/${done.imageA}`),
      await call(KEY_B, "GET", `/api/jobs/${MISSING_UUID}`),
      [done.imageA, MISSING_UUID],
    );

    const events = `/api/jobs/${done.imageA}/events`;
    expect(await firstEvent(events, KEY_A)).toMatchObject({ status: 200, text: /event: / });
    expect(await firstEvent(events, ADMIN)).toMatchObject({ status: 200, text: /event: / });
    const otherEvents = await firstEvent(events, KEY_B);
    const missingEvents = await firstEvent(`/api/jobs/${MISSING_UUID}/events`, KEY_B);
    expect(otherEvents.status).toBe(404);
    expect(otherEvents.text.replaceAll(done.imageA, MISSING_UUID)).toBe(missingEvents.text);

    expect((await call(KEY_A, "GET", url)).statusCode).toBe(200);
    expect((await call(ADMIN, "GET", url)).statusCode).toBe(200);
    const file = url.split("/").at(-1) ?? "";
    expectSameAsMissing(
      await call(KEY_B, "GET", url),
      await call(KEY_B, "GET", `/api/outputs/${MISSING_UUID}/${file}`),
      [done.imageA, MISSING_UUID],
    );

    const webhooks = `/api/jobs/${done.imageA}/webhooks`;
    expect((await call(KEY_A, "GET", webhooks)).statusCode).toBe(200);
    expect((await call(ADMIN, "GET", webhooks)).statusCode).toBe(200);
    expectSameAsMissing(
      await call(KEY_B, "GET", webhooks),
      await call(KEY_B, "GET", `/api/jobs/${MISSING_UUID}/webhooks`),
      [done.imageA, MISSING_UUID],
    );
  });

  it("a job's stored inputs: the owner's and admins', 404 as for none to others", async () => {
    const id = await uuidOf(done.legacyA); // a video: its start image is stored
    for (const route of ["/api/jobs/ID/inputs", "/api/jobs/ID/inputs/image"]) {
      const url = route.replace("ID", id);
      expect((await call(KEY_A, "GET", url)).statusCode, url).toBe(200);
      expect((await call(ADMIN, "GET", url)).statusCode, url).toBe(200);
      expectSameAsMissing(
        await call(KEY_B, "GET", url),
        await call(KEY_B, "GET", route.replace("ID", MISSING_UUID)),
        [id, MISSING_UUID],
      );
    }
  });

  it("the legacy routes that take a job id: the owner's and admins', 404 as for none to others", async () => {
    const legacyUuid = await uuidOf(done.legacyA);
    const routes = [
      "/status/ID",
      "/result/ID",
      "/download/video/ID",
      "/input_image/ID",
      "/videos/ID.mp4",
    ];
    for (const route of routes) {
      for (const [id, missingId] of [
        [done.legacyA, MISSING_LEGACY],
        [legacyUuid, MISSING_UUID],
      ] as const) {
        const url = route.replace("ID", id);
        expect((await call(KEY_A, "GET", url)).statusCode, url).toBe(200);
        expect((await call(ADMIN, "GET", url)).statusCode, url).toBe(200);
        const other = await call(KEY_B, "GET", url);
        expect(other.statusCode, url).toBe(404);
        expectSameAsMissing(other, await call(KEY_B, "GET", route.replace("ID", missingId)), [
          id,
          missingId,
        ]);
      }
    }
    // The status stream answers an unknown job inside the stream; another key's alike.
    const stream = (key: string, id: string) => firstEvent(`/stream/status/${id}`, key);
    expect((await stream(KEY_A, done.legacyA)).text).toContain("event: progress");
    expect((await stream(ADMIN, done.legacyA)).text).toContain("event: progress");
    expect(await stream(KEY_B, done.legacyA)).toEqual(await stream(KEY_B, MISSING_LEGACY));
    expect((await stream(KEY_B, done.legacyA)).text).toContain("Job not found or cleaned up.");
  });

  it("the legacy /queue, /videos and /video_stream show each key's own jobs; admins' all", async () => {
    const queue = async (key: string) =>
      (await call(key, "GET", "/queue"))
        .json<{ queue: { job_id: string }[] }>()
        .queue.map((entry) => entry.job_id);
    const ofA = await queue(KEY_A);
    const ofB = await queue(KEY_B);
    expect(ofA).toEqual(expect.arrayContaining([done.legacyA, done.imageA]));
    expect(ofA).not.toContain(done.legacyB);
    expect(ofA).not.toContain(done.imageB);
    expect(ofB).toEqual(expect.arrayContaining([done.legacyB, done.imageB]));
    expect(ofB).not.toContain(done.legacyA);
    expect(await queue(ADMIN)).toEqual(expect.arrayContaining([...ofA, ...ofB]));

    const videos = async (key: string) => (await call(key, "GET", "/videos")).json<string[]>();
    expect(await videos(KEY_A)).toEqual([`${done.legacyA}.mp4`]);
    expect(await videos(KEY_B)).toEqual([`${done.legacyB}.mp4`]);
    expect((await videos(ADMIN)).sort()).toEqual(
      [`${done.legacyA}.mp4`, `${done.legacyB}.mp4`].sort(),
    );

    expect(await announced.a).toEqual([`${done.legacyA}.mp4`]);
    expect(await announced.b).toEqual([`${done.legacyB}.mp4`]);
    expect(await announced.admin).toEqual([`${done.legacyA}.mp4`, `${done.legacyB}.mp4`]);
  });

  it("every documented route that takes a job id is covered above (or where it says)", () => {
    const paths = Object.keys((service.app.swagger() as { paths: object }).paths);
    const withId = paths.filter((path) => /\{(id|job_id|jobId|filename)\}/.test(path));
    expect(withId.sort()).toEqual(
      [
        "/api/jobs/{id}",
        "/api/jobs/{id}/cancel",
        "/api/jobs/{id}/events",
        "/api/jobs/{id}/retry", // with PATCH and DELETE /api/jobs/{id}: test/queue-tenancy.test.ts
        "/api/jobs/{id}/webhooks",
        "/api/jobs/{id}/inputs",
        "/api/jobs/{id}/inputs/{name}",
        "/api/outputs/{jobId}/{file}",
        "/status/{job_id}",
        "/stream/status/{job_id}",
        "/result/{job_id}",
        "/download/video/{job_id}",
        "/input_image/{job_id}",
        "/cancel/{job_id}",
        "/videos/{filename}",
      ].sort(),
    );
  });

  it("/api/system and /metrics answer any key and name no job", async () => {
    const ids = [done.imageA, done.imageB, done.legacyA, done.legacyB];
    for (const url of ["/api/system", "/metrics"]) {
      const answer = await call(KEY_B, "GET", url);
      expect(answer.statusCode, url).toBe(200);
      for (const id of ids) expect(answer.body, url).not.toContain(id);
      expect(answer.body).not.toContain("an image of A's");
    }
  });
});

describe("admin key configuration", () => {
  it("reads API_ADMIN_KEYS and API_ADMIN_KEYS_FILE as API_KEYS and its file", async () => {
    const file = join(makeTempDir("admin-keys"), "admins.txt");
    writeFileSync(file, `# admins\n${ADMIN}\n`);
    const config = loadConfig({ API_ADMIN_KEYS: ` ${KEY_A} `, API_ADMIN_KEYS_FILE: file });
    expect(await loadApiKeys(config.apiAdminKeys, config.apiAdminKeysFile)).toEqual([KEY_A, ADMIN]);
    expect(loadConfig({}).apiAdminKeys).toEqual([]);
    const bad = () => loadConfig({ API_ADMIN_KEYS: "secret with spaces" });
    expect(bad).toThrow(/API_ADMIN_KEYS/);
    expect(bad).not.toThrow(/secret/);
  });
});
