// The service under benchmark, in its own process (so the load generator does not share
// its CPU): the real wiring of src/service.ts (compiled, dist/) around one busy engine,
// on loopback. The driver (bench/api-bench.mjs) commands it over the IPC channel.
//
// Usage (by the driver): node --expose-gc bench/api/server.mjs <data dir>
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../dist/src/config.js";
import { assembleService } from "../../dist/src/service.js";
import { busyPool } from "./busy-engine.mjs";
import { IMAGE_REQUEST, seededJobId, sharedClockMs } from "./shared.mjs";

const UNLIMITED = 1_000_000;

async function startService(dataDir) {
  const loraDir = join(dataDir, "loras");
  mkdirSync(loraDir, { recursive: true });
  const config = {
    ...loadConfig({ FRAMEPACK_DATA_DIR: dataDir, LORA_DIR: loraDir }),
    // Every submission is queued behind the busy engine: no queue limit may refuse one,
    // and retention (not started here anyway) must keep the stored jobs.
    maxQueueLength: UNLIMITED,
    maxQueuePerKey: UNLIMITED,
    maxCompletedJobs: UNLIMITED,
  };
  const logger = pino({ level: "warn" }, pino.destination(2));
  const { pool, engine } = busyPool(logger);
  const service = await assembleService({
    config,
    pool,
    logger,
    modelRoot: dataDir,
    apiKeys: [],
    version: "bench",
  });
  await service.start();
  const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  return { ...service, engine, url };
}

/** A stored job as a finished image job looks, written through the store's own API. */
async function storeFinishedJob(store, n) {
  const id = seededJobId(n);
  await store.insert({
    id,
    legacyId: null,
    type: "image",
    data: { ...IMAGE_REQUEST, steps: 30, width: 1216, height: 704 },
    plan: { kind: "image", ...IMAGE_REQUEST, steps: 30, width: 1216, height: 704, loras: [] },
    priority: 0,
    apiKeyHash: null,
    batchItems: null,
  });
  await store.start(id);
  const output = { key: `${id}/image-0.png`, kind: "image", seed: 42, width: 1216, height: 704 };
  await store.complete(id, { outputs: [output], metadata: { seed: 42 } });
}

/** Memory and CPU so far; `gc` first collects garbage (its cost counts as CPU time). */
function usage({ gc = false } = {}) {
  if (gc) globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  return { rssBytes: rss, heapUsedBytes: heapUsed, cpuUs: user + system };
}

/** Mean microseconds of `calls` runs of `work(i)`. */
function meanMicros(calls, work) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) work(i);
  return Number(process.hrtime.bigint() - started) / 1000 / calls;
}

/** Mean microseconds of a progress update, and of writing one job's buffered progress. */
function progressRound(engine, store, updates, writes) {
  const total = updates + writes + 2; // never the last step, which always publishes
  const updateUs = meanMicros(updates, (i) => engine.progress(i + 1, total, "sampling"));
  let writeUs = 0;
  for (let i = 0; i < writes; i++) {
    engine.progress(updates + i + 1, total, "sampling");
    writeUs += meanMicros(1, () => store.flushProgress()) / writes;
  }
  return { updateUs, writeUs };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function commands(service) {
  let seeded = 0;
  const engine = () => service.engine();
  return {
    usage,
    runningJob: () => engine()?.running?.jobId ?? null,
    async seed({ total }) {
      const started = performance.now();
      while (seeded < total) await storeFinishedJob(service.store, seeded++);
      return { seeded, seconds: (performance.now() - started) / 1000 };
    },
    /**
     * One progress event through JobService into the store's buffer, and one buffered
     * write; each the least of `rounds` means.
     */
    progressCost({ updates, writes, rounds }) {
      const costs = Array.from({ length: rounds }, () =>
        progressRound(engine(), service.store, updates, writes),
      );
      return {
        updateUs: Math.min(...costs.map((cost) => cost.updateUs)),
        writeUs: Math.min(...costs.map((cost) => cost.writeUs)),
      };
    },
    /** Progress events `intervalMs` apart (over the 4/s throttle), stamped with the send time. */
    async emitProgress({ count, intervalMs }) {
      const before = usage();
      for (let step = 1; step <= count; step++) {
        engine().progress(step, count + 1, String(sharedClockMs()));
        await sleep(intervalMs);
      }
      const after = usage();
      return { cpuUs: after.cpuUs - before.cpuUs, rssBytes: after.rssBytes };
    },
  };
}

async function main() {
  const dataDir = process.argv[2];
  if (!dataDir || !process.send)
    throw new Error("run by bench/api-bench.mjs: server.mjs <data dir>");
  const service = await startService(dataDir);
  const handlers = commands(service);
  process.on("message", ({ id, command, args }) => {
    Promise.resolve()
      .then(() => handlers[command](args ?? {}))
      .then(
        (result) => process.send({ id, result }),
        (error) => process.send({ id, error: String(error?.stack ?? error) }),
      );
  });
  process.once("disconnect", () => {
    void service.close().finally(() => process.exit(0));
  });
  process.send({ id: 0, result: { url: service.url } });
}

await main();
