// SSE delivery lag across replicas (docs/cluster.md, "Events"): two durable event hubs on
// two pools over one throwaway PostgreSQL stand for two processes; jobs' events are
// published on A and followed on B as the SSE route follows them (followJobEvents). The
// lag is from publish on A to delivery on B: A's queue, the append, NOTIFY, B's read.
// Status events are used (never coalesced); progress would add its deliberate hold.
// One JSON object per figure on stdout ({"bench":"event-lag","metric","value","unit"});
// progress goes to stderr.
//
// Usage: npm run bench:events [-- --quick]   (builds dist/ first)
import { performance } from "node:perf_hooks";
import pg from "pg";
import { pino } from "pino";
import { DurableJobEventHub } from "../dist/src/jobs/durable-events.js";
import { followJobEvents } from "../dist/src/jobs/events.js";
import { PgJobEventLog } from "../dist/src/store/postgres-events.js";
import { PostgresJobStore } from "../dist/src/store/postgres.js";
import { startPostgres } from "../scripts/postgres-server.mjs";
import { figureEmitter } from "./lib-emit.mjs";

const QUICK = process.argv.includes("--quick");
/** Jobs followed at once, and events published per job, one every `intervalMs` per job. */
const RUNS = QUICK
  ? [{ jobs: 5, events: 20, intervalMs: 10 }]
  : [
      { jobs: 1, events: 200, intervalMs: 10 },
      { jobs: 20, events: 50, intervalMs: 20 },
      { jobs: 100, events: 20, intervalMs: 50 },
    ];
const DELIVERY_TIMEOUT_MS = 30_000;

const log = (text) => process.stderr.write(`[event-lag-bench] ${text}\n`);
const logger = pino({ level: "silent" });

const emit = figureEmitter("event-lag", 4);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function replica(url) {
  await (await PostgresJobStore.open(url)).close(); // the store's migrations make the table
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const hub = new DurableJobEventHub({ log: new PgJobEventLog({ pool, logger }), logger });
  await hub.start();
  return { hub, close: async () => (await hub.close(), await pool.end()) };
}

async function measure(a, b, { jobs, events, intervalMs }, round) {
  const lags = [];
  const sentAt = new Map();
  let expected = jobs * events;
  let allDelivered;
  const delivered = new Promise((resolve) => (allDelivered = resolve));
  const follows = [];
  for (let j = 0; j < jobs; j++) {
    const jobId = `bench-${round}-${j}`;
    const followed = await followJobEvents(b.hub, jobId, 0, (event) => {
      const at = sentAt.get(`${jobId}/${event.data.n}`);
      if (at === undefined) return;
      lags.push(performance.now() - at);
      if (--expected === 0) allDelivered();
    });
    follows.push(followed);
  }
  const started = performance.now();
  for (let n = 0; n < events; n++) {
    for (let j = 0; j < jobs; j++) {
      const jobId = `bench-${round}-${j}`;
      sentAt.set(`${jobId}/${n}`, performance.now());
      a.hub.publish(jobId, "status", { status: "processing", n });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, DELIVERY_TIMEOUT_MS, "timeout");
  });
  const outcome = await Promise.race([delivered, timeout]);
  clearTimeout(timer);
  for (const followed of follows) followed.unsubscribe();
  if (outcome === "timeout") throw new Error(`${expected} events not delivered in time`);
  return { lags: lags.sort((x, y) => x - y), seconds: (performance.now() - started) / 1000 };
}

const server = await startPostgres();
try {
  const a = await replica(server.url);
  const b = await replica(server.url);
  for (const [round, run] of RUNS.entries()) {
    const { lags, seconds } = await measure(a, b, run, round);
    const fields = { jobs: run.jobs, events_per_second: Math.round(lags.length / seconds) };
    const label = `${run.jobs} job(s), ${fields.events_per_second} events/s`;
    log(
      `${label}: p50 ${percentile(lags, 50).toFixed(2)} ms, p95 ${percentile(lags, 95).toFixed(2)} ms, max ${lags.at(-1).toFixed(2)} ms (${lags.length} events)`,
    );
    emit("delivery_lag_p50", percentile(lags, 50), "ms", fields);
    emit("delivery_lag_p95", percentile(lags, 95), "ms", fields);
  }
  await a.close();
  await b.close();
} finally {
  server.stop();
}
