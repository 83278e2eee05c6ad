// A whole service in-process (store, scheduler, engine pool, jobs, HTTP): with a real
// engine on the tiny set listening on a free loopback port, or without engines for the
// HTTP layer alone.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { inject } from "vitest";
import type { ConnectionLimits } from "../../src/api/app.js";
import type { ObjectStorage } from "../../src/artifacts/object-storage.js";
import { loadConfig, type Config } from "../../src/config.js";
import { EnginePool } from "../../src/engine/pool.js";
import { assembleService, type ServiceParts } from "../../src/service.js";
import { makeTempDir, startTestEngine, testLogger } from "./engine.js";

export interface ServiceOverrides {
  maxQueuePerKey?: number;
  apiKeys?: string[];
  adminKeys?: string[];
  allowedOrigins?: string[];
  logger?: Logger;
  maxCompletedJobs?: number;
  outputMaxAgeMs?: number;
  connectionLimits?: Partial<ConnectionLimits>;
  maxQueueLength?: number;
  /** A data directory prepared by the test (default: a new empty one). */
  dataDir?: string;
  /** Further settings (webhooks, say) over those of an empty environment. */
  config?: Partial<Config>;
  /** The object storage when config.storage is set (cluster mode). */
  objects?: ObjectStorage;
  /** The job event hub (default: the one-box, in memory). */
  eventHub?: ServiceParts["eventHub"];
}

/** The assembled service, not yet listening; its retention timer is not started
 * (tests run retention.cleanup() when they mean to). */
export type AssembledService = Awaited<ReturnType<typeof assembleService>> & {
  dataDir: string;
  loraDir: string;
  pool: EnginePool;
};

export interface TestService {
  url: string;
  dataDir: string;
  loraDir: string;
  pool: EnginePool;
  close: () => Promise<void>;
}

/** The service around `pool`, wired by src/service.ts as `npm start` wires it. */
export async function assembleTestService(
  pool: EnginePool,
  overrides: ServiceOverrides,
): Promise<AssembledService> {
  const dataDir = overrides.dataDir ?? makeTempDir("api");
  const loraDir = join(dataDir, "loras");
  mkdirSync(loraDir, { recursive: true });
  const config: Config = {
    ...loadConfig({ FRAMEPACK_DATA_DIR: dataDir, LORA_DIR: loraDir }),
    maxQueueLength: overrides.maxQueueLength ?? 100,
    maxQueuePerKey: overrides.maxQueuePerKey ?? 100,
    allowedOrigins: overrides.allowedOrigins ?? [],
    ...(overrides.maxCompletedJobs === undefined
      ? {}
      : { maxCompletedJobs: overrides.maxCompletedJobs }),
    ...(overrides.outputMaxAgeMs === undefined ? {} : { outputMaxAgeMs: overrides.outputMaxAgeMs }),
    ...overrides.connectionLimits,
    ...overrides.config,
  };
  const service = await assembleService({
    config,
    pool,
    logger: overrides.logger ?? testLogger,
    modelRoot: inject("tinyModelRoot"),
    apiKeys: overrides.apiKeys ?? [],
    adminKeys: overrides.adminKeys ?? [],
    version: "test",
    ...(overrides.objects ? { objects: overrides.objects } : {}),
    ...(overrides.eventHub ? { eventHub: overrides.eventHub } : {}),
  });
  await service.start();
  return { ...service, dataDir, loraDir, pool };
}

/** The whole service with one real engine on the tiny set, listening on a free port. */
export async function startTestService(overrides: ServiceOverrides = {}): Promise<TestService> {
  const pool = new EnginePool({
    ids: ["engine-0"],
    start: (id) => startTestEngine({ id }),
    heartbeatTimeoutMs: 30_000,
    stallTimeoutMs: 30_000,
    restartDelayMs: { initial: 100, max: 1000 },
    logger: testLogger,
  });
  const service = await assembleTestService(pool, overrides);
  const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  return { url, ...service };
}

/**
 * The service without engines (jobs stay pending): enough for everything the HTTP
 * layer decides alone (auth, CORS, validation), and quick to build. Use app.inject().
 */
export function assembleEngineFreeService(
  overrides: ServiceOverrides = {},
): Promise<AssembledService> {
  const pool = new EnginePool({
    ids: [],
    start: () => Promise.reject(new Error("no engines in this test")),
    heartbeatTimeoutMs: 30_000,
    stallTimeoutMs: 30_000,
    restartDelayMs: { initial: 100, max: 1000 },
    logger: testLogger,
  });
  return assembleTestService(pool, overrides);
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
    metadata: Record<string, unknown>;
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
