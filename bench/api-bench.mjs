// API and queue benchmark: job submission under load with the engine pool busy, the cost
// of a progress update and of a status read as the store grows, SSE fan-out to many
// clients, and the server's memory at rest. One JSON object per figure on stdout
// ({"bench":"api","metric","value","unit",...}); progress goes to stderr.
//
// Usage: npm run bench:api [-- --quick]   (builds dist/ first; --quick: a smoke run)
//
// The service runs in a child process (bench/api/server.mjs) with the real wiring
// (src/service.ts, compiled) around a stand-in engine that holds its first job for ever:
// the pool is busy, so this measures the HTTP + store + queue path, not a model.
// Figures on a shared machine are noisy: every line carries the 1-minute load average.
import autocannon from "autocannon";
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { awaitDelivery, openClients } from "./api/sse-fanout.mjs";
import { IMAGE_REQUEST, seededJobId } from "./api/shared.mjs";

const SERVER_SCRIPT = join(import.meta.dirname, "api", "server.mjs");

// Submissions twice: one client at a time (latency), then many at once (throughput).
const FULL = {
  submitRuns: [
    { connections: 1, seconds: 5 },
    { connections: 10, seconds: 10 },
  ],
  readConnections: 10,
  storeSizes: [1_000, 10_000, 100_000],
  readSeconds: 2,
  rounds: 3,
  progressUpdates: 20_000,
  progressWrites: 2_000,
  sseClients: 1_000,
  sseEvents: 20,
};
const QUICK = {
  submitRuns: [
    { connections: 1, seconds: 1 },
    { connections: 4, seconds: 1 },
  ],
  readConnections: 4,
  storeSizes: [100, 1_000],
  readSeconds: 1,
  rounds: 2,
  progressUpdates: 1_000,
  progressWrites: 100,
  sseClients: 20,
  sseEvents: 3,
};
// The store-size figures are the best of `rounds` runs: other work on a shared machine
// only ever makes a run slower, and what is compared across sizes is the path's own cost.
const SSE_EVENT_INTERVAL_MS = 300; // above the service's 4 progress events/s per job
const SSE_DELIVERY_TIMEOUT_MS = 15_000;

const log = (text) => process.stderr.write(`[api-bench] ${text}\n`);

function emit(metric, value, unit, fields = {}) {
  const rounded = Number.isFinite(value) ? Number(value.toPrecision(6)) : value;
  const loadAvg1m = Number(loadavg()[0].toFixed(2));
  const line = { bench: "api", metric, value: rounded, unit, ...fields, load_avg_1m: loadAvg1m };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  log(`${metric} = ${rounded} ${unit}`);
}

/** Nearest-rank percentile of unsorted samples. */
function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

// --- the server process ------------------------------------------------------------------

/** Starts bench/api/server.mjs on `dataDir`; `call` runs one of its commands. */
async function startServer(dataDir) {
  const child = fork(SERVER_SCRIPT, [dataDir], {
    execArgv: ["--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map();
  let nextId = 1;
  const ready = new Promise((resolve, reject) => waiting.set(0, { resolve, reject }));
  child.on("message", ({ id, result, error }) => {
    const call = waiting.get(id);
    waiting.delete(id);
    if (error === undefined) call?.resolve(result);
    else call?.reject(new Error(error));
  });
  child.once("exit", (code) => {
    for (const call of waiting.values()) call.reject(new Error(`bench server exited (${code})`));
  });
  const call = (command, args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, command, args });
    });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.disconnect();
    await exited;
  };
  const { url } = await ready;
  return { url, call, stop };
}

/** Submits one job and waits until the busy engine holds it; returns its id. */
async function occupyEngine(server) {
  await submitJob(server.url);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const jobId = await server.call("runningJob");
    if (jobId) return jobId;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the busy engine never got the first job");
}

async function submitJob(url) {
  const response = await fetch(`${url}/api/generate-image`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(IMAGE_REQUEST),
  });
  if (response.status !== 202) throw new Error(`submission answered ${response.status}`);
}

// --- load ------------------------------------------------------------------------------------

/**
 * autocannon against the server for `seconds`; latencies of 2xx answers are collected
 * here at full resolution (autocannon's own histogram rounds to whole milliseconds),
 * and the server's CPU time over the run is divided among the answers.
 */
async function loadTest(server, { seconds, connections, path = "", ...request }) {
  const latencies = [];
  const before = await server.call("usage");
  // autocannon takes the path from the URL; a separate `path` option is not applied.
  const instance = autocannon({
    url: `${server.url}${path}`,
    duration: seconds,
    connections,
    ...request,
  });
  instance.on("response", (_client, statusCode, _bytes, ms) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
  });
  const result = await instance;
  const after = await server.call("usage");
  const answered = latencies.length;
  return {
    perSecond: answered / (result.duration || seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    serverCpuUs: (after.cpuUs - before.cpuUs) / Math.max(1, answered),
    fields: {
      connections,
      seconds,
      answered,
      non_2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    },
  };
}

/** The run with the most answers per second of `rounds` runs of `loadRun`. */
async function fastestOf(rounds, loadRun) {
  let best;
  for (let round = 0; round < rounds; round++) {
    const run = await loadRun();
    if (best === undefined || run.perSecond > best.perSecond) best = run;
  }
  return best;
}

function emitLoad(prefix, unit, run, extra) {
  const fields = { ...run.fields, ...extra };
  emit(`${prefix}_per_s`, run.perSecond, unit, fields);
  emit(`${prefix}_latency_p50_ms`, run.p50, "ms", fields);
  emit(`${prefix}_latency_p99_ms`, run.p99, "ms", fields);
  emit(`${prefix}_server_cpu_us`, run.serverCpuUs, "us/request", fields);
}

// --- the figures -----------------------------------------------------------------------------

async function benchSubmissions(plan, dataDir) {
  const server = await startServer(dataDir);
  try {
    await occupyEngine(server);
    for (const { connections, seconds } of plan.submitRuns) {
      log(`submitting jobs for ${seconds} s over ${connections} connections, engine busy`);
      const run = await loadTest(server, {
        seconds,
        connections,
        method: "POST",
        path: "/api/generate-image",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(IMAGE_REQUEST),
      });
      emitLoad("submit", "jobs/s", run, { route: "POST /api/generate-image", engine: "busy" });
    }
  } finally {
    await server.stop();
  }
}

async function benchStoreSize(server, plan, storedJobs) {
  const seeding = await server.call("seed", { total: storedJobs });
  log(`stored ${seeding.seeded} jobs (${seeding.seconds.toFixed(1)} s)`);
  const fields = { stored_jobs: storedJobs };
  const cost = await server.call("progressCost", {
    updates: plan.progressUpdates,
    writes: plan.progressWrites,
    rounds: plan.rounds,
  });
  emit("progress_update_us", cost.updateUs, "us", {
    ...fields,
    calls: plan.progressUpdates,
    rounds: plan.rounds,
    path: "engine progress -> JobService -> store buffer + event hub",
  });
  emit("progress_write_us", cost.writeUs, "us", {
    ...fields,
    calls: plan.progressWrites,
    rounds: plan.rounds,
    path: "store.flushProgress() of one running job (the periodic write)",
  });
  const run = await fastestOf(plan.rounds, () =>
    loadTest(server, {
      seconds: plan.readSeconds,
      connections: plan.readConnections,
      requests: [
        {
          method: "GET",
          // A random stored job each time, so the reads are not served from one hot page.
          setupRequest: (request) => ({
            ...request,
            path: `/api/jobs/${seededJobId(Math.floor(Math.random() * storedJobs))}`,
          }),
        },
      ],
    }),
  );
  emitLoad("status_read", "requests/s", run, {
    ...fields,
    rounds: plan.rounds,
    route: "GET /api/jobs/{id}",
  });
}

async function benchFanOut(server, plan, jobId, storedJobs) {
  log(`opening ${plan.sseClients} SSE clients on job ${jobId}`);
  const clients = await openClients(`${server.url}/api/jobs/${jobId}/events`, plan.sseClients);
  try {
    const emitted = await server.call("emitProgress", {
      count: plan.sseEvents,
      intervalMs: SSE_EVENT_INTERVAL_MS,
    });
    const lags = await awaitDelivery(clients, plan.sseEvents, SSE_DELIVERY_TIMEOUT_MS);
    const fields = {
      clients: plan.sseClients,
      events: plan.sseEvents,
      delivered: lags.length,
      expected: plan.sseClients * plan.sseEvents,
      stored_jobs: storedJobs,
    };
    emit("sse_lag_p50_ms", percentile(lags, 50), "ms", fields);
    emit("sse_lag_p99_ms", percentile(lags, 99), "ms", fields);
    emit("sse_server_cpu_ms", emitted.cpuUs / 1000 / plan.sseEvents, "ms/event", {
      ...fields,
      note: "server CPU time per progress event delivered to every client",
    });
    emit("sse_server_rss_bytes", emitted.rssBytes, "bytes", fields);
  } finally {
    for (const client of clients) client.close();
  }
}

async function benchStore(plan, dataDir) {
  const server = await startServer(dataDir);
  try {
    const jobId = await occupyEngine(server);
    for (const size of plan.storeSizes) await benchStoreSize(server, plan, size);
    await benchFanOut(server, plan, jobId, plan.storeSizes.at(-1));
  } finally {
    await server.stop();
  }
}

/** A fresh server on the filled store, after start-up settled and a full GC. */
async function benchRestingMemory(plan, dataDir) {
  const server = await startServer(dataDir);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { rssBytes, heapUsedBytes } = await server.call("usage", { gc: true });
    emit("rest_rss_bytes", rssBytes, "bytes", {
      stored_jobs: plan.storeSizes.at(-1),
      heap_used_bytes: heapUsedBytes,
      note: "fresh server process on the filled store, after a full GC",
    });
  } finally {
    await server.stop();
  }
}

async function main() {
  const quick = process.argv.includes("--quick");
  const plan = quick ? QUICK : FULL;
  const started = performance.now();
  const loadAtStart = loadavg();
  const dataRoot = mkdtempSync(join(tmpdir(), "framepack-api-bench-"));
  try {
    await benchSubmissions(plan, join(dataRoot, "submissions"));
    await benchStore(plan, join(dataRoot, "store"));
    await benchRestingMemory(plan, join(dataRoot, "store"));
  } finally {
    rmSync(dataRoot, { recursive: true, force: true });
  }
  emit("summary", (performance.now() - started) / 1000, "s", {
    quick,
    load_avg_at_start: loadAtStart.map((value) => Number(value.toFixed(2))),
    node: process.version,
  });
}

await main();
