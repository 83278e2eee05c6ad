// Queue control (docs/api.md §6) through a real engine on the tiny set: pausing and
// resuming (durable across a restart), reordering pending jobs (queue positions and the
// dispatch order follow), retrying finished jobs with every input file they stored,
// deleting finished jobs with their files, and `Prefer: wait` on the generation routes.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFramePackClient, JobNotCompletedError } from "../src/client/index.js";
import { makeTempDir } from "./helpers/engine.js";
import {
  assembleEngineFreeService,
  startTestService,
  waitForJob,
  type AssembledService,
  type JobView,
  type TestService,
} from "./helpers/service.js";

type Started = TestService & Pick<AssembledService, "store">;

let service: Started;
let image: string; // base64 PNG
let mask: string;

const small = { width: 128, height: 96, steps: 2 };

beforeAll(async () => {
  // startTestService's answer is the assembled service, store included.
  service = (await startTestService()) as Started;
  const png = (fill: number) =>
    sharp(Buffer.alloc(64 * 48 * 3, fill), { raw: { width: 64, height: 48, channels: 3 } })
      .png()
      .toBuffer();
  image = (await png(90)).toString("base64");
  mask = (await png(255)).toString("base64");
});

afterAll(async () => {
  await service.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown>,
  };
}

async function submit(body: Record<string, unknown>, path = "/api/generate-image") {
  const response = await call("POST", path, { ...small, ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.job_id as string;
}

const job = async (id: string) => (await call("GET", `/api/jobs/${id}`)).body as unknown as JobView;
const finished = (id: string) => waitForJob(service.url, id);
const errorCode = (body: Record<string, unknown>) => (body.error as { code: string }).code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("pause and resume", () => {
  it("keeps the pause across a restart, and /api/system shows it", async () => {
    const folder = makeTempDir("queue-pause");
    const first = await assembleEngineFreeService({ dataDir: folder });
    const paused = await first.app.inject({ method: "POST", url: "/api/queue/pause" });
    expect(paused.json()).toEqual({ paused: true, pending: 0, running: [] });
    await first.close();
    const second = await assembleEngineFreeService({ dataDir: folder });
    try {
      expect((await second.app.inject({ url: "/api/queue" })).json()).toMatchObject({
        paused: true,
      });
      expect((await second.app.inject({ url: "/api/system" })).json()).toMatchObject({
        queue_paused: true,
      });
      await second.app.inject({ method: "POST", url: "/api/queue/resume" });
      expect((await second.app.inject({ url: "/api/queue" })).json()).toMatchObject({
        paused: false,
      });
    } finally {
      await second.close();
    }
  });
});

describe("a paused queue on the engine", () => {
  it("lets a running batch finish its micro-batches while a new job waits", async () => {
    const batch = await submit(
      { prompts: ["one", "two", "three"], batch_size: 1 },
      "/api/batch-images",
    );
    await waitForJob(service.url, batch, (record) => record.status !== "pending");
    await call("POST", "/api/queue/pause");
    const waiting = await submit({ prompt: "after the pause" });
    const finishedBatch = await finished(batch);
    expect(finishedBatch.status).toBe("completed");
    expect(finishedBatch.batch_progress).toMatchObject({ total: 3, completed: 3 });
    expect((await job(waiting)).status).toBe("pending");
    await call("POST", "/api/queue/resume");
    expect((await finished(waiting)).status).toBe("completed");
  });
});

describe("PATCH /api/jobs/{id} (priority)", () => {
  it("starts nothing while paused; a reordered queue runs on the engine in its new order", async () => {
    expect((await call("POST", "/api/queue/pause")).body).toMatchObject({ paused: true });
    const a = await submit({ prompt: "first in" });
    const b = await submit({ prompt: "second in" });
    const c = await submit({ prompt: "third in" });
    const positions = async () =>
      Promise.all([a, b, c].map(async (id) => (await job(id)).queue_position));
    expect(await positions()).toEqual([0, 1, 2]);

    const raised = await call("PATCH", `/api/jobs/${c}`, { priority: 5 });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ priority: 5, queue_position: 0 });
    // By its short id too.
    expect((await call("PATCH", `/api/jobs/${a.slice(0, 8)}`, { priority: -5 })).status).toBe(200);
    expect(await positions()).toEqual([2, 1, 0]);
    await sleep(500);
    expect((await call("GET", "/api/queue")).body).toEqual({
      paused: true,
      pending: 3,
      running: [],
    });
    expect((await job(c)).status).toBe("pending");

    await call("POST", "/api/queue/resume");
    const done = await Promise.all([a, b, c].map((id) => finished(id)));
    const startedAt = done.map((record) => Date.parse(record.started_at ?? ""));
    expect(startedAt[2]).toBeLessThan(startedAt[1] ?? 0);
    expect(startedAt[1]).toBeLessThan(startedAt[0] ?? 0);

    const late = await call("PATCH", `/api/jobs/${a}`, { priority: 1 });
    expect(late.status).toBe(409);
    expect(errorCode(late.body)).toBe("job_not_pending");
  });

  it("refuses a priority out of range, naming the field", async () => {
    const refused = await call("PATCH", "/api/jobs/00000000", { priority: 11 });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("priority");
  });
});

describe("POST /api/jobs/{id}/retry", () => {
  it("submits a completed transfer again with all its stored inputs and the same seed, or a new one", async () => {
    const original = await finished(
      await submit(
        {
          prompt: "wearing it",
          source_image: image,
          target_image: image,
          target_mask: mask,
        },
        "/api/transfer-image",
      ),
    );
    expect(original.status).toBe("completed");
    const inputsOf = (id: string) => join(service.dataDir, "jobs", id, "inputs");

    const again = await call("POST", `/api/jobs/${original.id}/retry`);
    expect(again.status).toBe(202);
    const retryId = again.body.job_id as string;
    expect(retryId).not.toBe(original.id);
    const retried = await finished(retryId);
    expect(retried.status).toBe("completed");
    expect(retried.result?.seeds).toEqual(original.result?.seeds);
    const record = await service.store.get(retryId);
    expect(record?.data).toEqual((await service.store.get(original.id))?.data);
    if (record?.plan.kind !== "transfer") throw new Error("not a transfer plan");
    for (const [path, name] of [
      [record.plan.target_image_path, "target.png"],
      [record.plan.source_image_path, "source.png"],
      [record.plan.target_mask_path, "target-mask.png"],
    ] as const) {
      expect(path).toBe(join(inputsOf(retryId), name));
      expect(readFileSync(path ?? "").equals(readFileSync(join(inputsOf(original.id), name)))).toBe(
        true,
      );
    }

    const reseeded = await call("POST", `/api/jobs/${original.id.slice(0, 8)}/retry`, {
      new_seed: true,
    });
    expect(reseeded.status).toBe(202);
    const reseededId = reseeded.body.job_id as string;
    const reseededPlan = (await service.store.get(reseededId))?.plan;
    expect(reseededPlan?.kind === "transfer" && reseededPlan.seed).not.toBe(record.plan.seed);
    await call("POST", `/api/jobs/${reseededId}/cancel`);
  });

  it("submits a failed job again, which then runs; refuses a pending one", async () => {
    await call("POST", "/api/queue/pause");
    const id = await submit({ prompt: "failed once", input_image: image });
    const refused = await call("POST", `/api/jobs/${id}/retry`, {});
    expect(refused.status).toBe(409);
    expect(errorCode(refused.body)).toBe("job_not_finished");
    // As an engine that ran out of memory for the last time would leave it.
    await service.store.fail(id, { code: "out_of_memory", message: "the GPU ran out of memory" });
    // No body means the defaults; a JSON null is a body that is not an object.
    const nullBody = await call("POST", `/api/jobs/${id}/retry`, null);
    expect(nullBody.status).toBe(422);
    expect(JSON.stringify(nullBody.body)).toContain("body");
    const again = await call("POST", `/api/jobs/${id}/retry`);
    expect(again.status).toBe(202);
    await call("POST", "/api/queue/resume");
    const retried = await finished(again.body.job_id as string);
    expect(retried.status).toBe("completed");
    expect((await job(id)).status).toBe("failed");
  });
});

describe("DELETE /api/jobs/{id}", () => {
  it("removes a finished job's record and files; refuses a pending or running job", async () => {
    const id = await submit({ prompt: "to be deleted", input_image: image });
    await finished(id);
    const folder = join(service.dataDir, "jobs", id);
    expect(existsSync(folder)).toBe(true);
    expect((await call("DELETE", `/api/jobs/${id}`)).status).toBe(204);
    expect(existsSync(folder)).toBe(false);
    expect((await call("GET", `/api/jobs/${id}`)).status).toBe(404);
    expect((await call("DELETE", `/api/jobs/${id}`)).status).toBe(404);

    const long = await submit({ prompt: "still running", steps: 60, width: 512, height: 512 });
    await waitForJob(service.url, long, (record) => record.status !== "pending");
    const refused = await call("DELETE", `/api/jobs/${long}`);
    expect(refused.status).toBe(409);
    expect(errorCode(refused.body)).toBe("job_not_finished");
    await call("POST", `/api/jobs/${long}/cancel`);
    await finished(long);
    expect((await call("DELETE", `/api/jobs/${long}`)).status).toBe(204);
  });
});

describe("Prefer: wait", () => {
  it("answers 200 with the finished record when the job finishes in time", async () => {
    const answer = await call(
      "POST",
      "/api/generate-image",
      { prompt: "quick", ...small },
      { prefer: "wait=60" },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get("preference-applied")).toBe("wait=60");
    expect(answer.body).toMatchObject({ status: "completed" });
    expect((answer.body.result as { images: unknown[] }).images).toHaveLength(1);
  });

  it("answers the usual 202 when it does not", async () => {
    await call("POST", "/api/queue/pause");
    const began = Date.now();
    const answer = await call(
      "POST",
      "/api/generate-image",
      { prompt: "too slow", ...small },
      { prefer: "respond-async, wait=1" },
    );
    expect(answer.status).toBe(202);
    expect(answer.headers.get("preference-applied")).toBe("wait=1");
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(answer.body).toMatchObject({ status: "pending" });
    await call("POST", "/api/queue/resume");
    await finished(answer.body.job_id as string);
  });
});

describe("the SDK's run()", () => {
  it("submits, waits and downloads: in the answer (Prefer: wait) or by the event stream", async () => {
    const client = createFramePackClient({ baseUrl: service.url });
    const quick = await client.run("/api/generate-image", { prompt: "run it", ...small });
    expect(quick.job.status).toBe("completed");
    expect(quick.outputs).toHaveLength(1);
    expect(
      Buffer.from(quick.outputs[0]?.bytes ?? [])
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");

    const events: string[] = [];
    const followed = await client.run(
      "/api/batch-images",
      { prompts: ["one", "two"], ...small },
      { waitSeconds: 0, onEvent: (event) => events.push(event.event) },
    );
    expect(followed.outputs.map((output) => output.url)).toEqual(
      followed.job.result?.images.map((image) => image.url),
    );
    expect(followed.outputs).toHaveLength(2);
    expect(events).toContain("done");
  });

  it("rejects with the record when the job does not complete", async () => {
    await call("POST", "/api/queue/pause");
    const client = createFramePackClient({ baseUrl: service.url });
    // Its rejection is taken at once: it comes while the test still cancels the job.
    const outcome: Promise<unknown> = client
      .run("/api/generate-image", { prompt: "cancelled" }, { waitSeconds: 0 })
      .catch((error: unknown) => error);
    await sleep(300);
    const { body } = await call("GET", "/api/jobs?status=pending&limit=1");
    const [pending] = body.jobs as { id: string }[];
    await call("POST", `/api/jobs/${pending?.id ?? ""}/cancel`);
    await call("POST", "/api/queue/resume");
    const failure = await outcome;
    expect(failure).toBeInstanceOf(JobNotCompletedError);
    expect((failure as JobNotCompletedError).job.status).toBe("cancelled");
  });
});
