// A whole service in-process (store, scheduler, engine pool with a real engine on the
// tiny set, jobs, HTTP), listening on a free loopback port.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { buildApp } from "../../src/api/app.js";
import { LocalArtifactStore } from "../../src/artifacts/local.js";
import { enginePython, loadConfig } from "../../src/config.js";
import type { EngineHandle } from "../../src/engine/handle.js";
import { EnginePool } from "../../src/engine/pool.js";
import { EngineProcess } from "../../src/engine/process.js";
import { JobEventHub } from "../../src/jobs/events.js";
import { DEFAULT_IMAGE_LIMITS } from "../../src/jobs/intake.js";
import { JobService } from "../../src/jobs/service.js";
import { DEFAULT_POLICY } from "../../src/scheduler/policy.js";
import { PriorityDispatcher } from "../../src/scheduler/priority-dispatcher.js";
import { SqliteJobStore } from "../../src/store/sqlite.js";
import { makeTempDir, testLogger } from "./engine.js";

export interface TestService {
  url: string;
  dataDir: string;
  loraDir: string;
  pool: EnginePool;
  close: () => Promise<void>;
}

export async function startTestService(
  overrides: { maxQueuePerKey?: number } = {},
): Promise<TestService> {
  const config = loadConfig({});
  const dataDir = makeTempDir("api");
  const loraDir = join(dataDir, "loras");
  mkdirSync(loraDir);
  const store = SqliteJobStore.open(join(dataDir, "jobs.sqlite"), { progressFlushMs: 100 });
  const artifacts = new LocalArtifactStore(join(dataDir, "jobs"));
  const events = new JobEventHub();
  const pool = new EnginePool({
    ids: ["engine-0"],
    start: (id) =>
      EngineProcess.start({
        id,
        python: enginePython(config),
        cwd: config.engineDir,
        modelRoot: inject("tinyModelRoot"),
        device: "cpu",
        heartbeatIntervalS: 0.5,
        startTimeoutMs: 60_000,
        logger: testLogger,
      }),
    heartbeatTimeoutMs: 30_000,
    restartDelayMs: { initial: 100, max: 1000 },
    logger: testLogger,
  });
  const jobs = new JobService({
    store,
    dispatcher: new PriorityDispatcher(DEFAULT_POLICY),
    pool,
    artifacts,
    events,
    logger: testLogger,
    loraDir,
    imageLimits: DEFAULT_IMAGE_LIMITS,
    maxAttempts: 3,
    maxQueueLength: 100,
    maxQueuePerKey: overrides.maxQueuePerKey ?? 100,
  });
  await pool.start();
  await jobs.start();
  const app = await buildApp({
    logger: testLogger,
    version: "test",
    modelRoot: inject("tinyModelRoot"),
    engines: () =>
      pool.slots().flatMap((slot): EngineHandle[] => (slot.engine ? [slot.engine] : [])),
    jobs,
    events,
    artifacts,
    loraDir,
    bodyLimitBytes: 32 * 1024 * 1024,
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    dataDir,
    loraDir,
    pool,
    close: async () => {
      await app.close();
      await pool.stop();
      await store.close();
    },
  };
}

export interface JobView {
  id: string;
  status: string;
  attempts: number;
  started_at: string | null;
  error: { code: string; message: string } | null;
  result: {
    images: { url: string; seed: number; width: number; height: number }[];
    video: { url: string; frames: number } | null;
    seeds: number[];
  } | null;
  batch_progress: { total: number; completed: number; failed: number } | null;
  queue_position: number | null;
}

export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJob(base: string, id: string): Promise<JobView> {
  return (await (await fetch(`${base}/api/jobs/${id}`)).json()) as JobView;
}

export async function waitForJob(
  base: string,
  id: string,
  done: (job: JobView) => boolean = (job) =>
    ["completed", "failed", "cancelled"].includes(job.status),
  timeoutMs = 120_000,
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(base, id);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The tEXt chunks of a PNG. */
export function pngText(png: Buffer): Record<string, string> {
  const chunks: Record<string, string> = {};
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    if (type === "tEXt") {
      const data = png.subarray(offset + 8, offset + 8 + length);
      const split = data.indexOf(0);
      chunks[data.toString("latin1", 0, split)] = data.toString("latin1", split + 1);
    }
    offset += 12 + length;
  }
  return chunks;
}
