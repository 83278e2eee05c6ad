// Cluster mode benchmark (docs/cluster.md) on a throwaway PostgreSQL: the latency of one
// claim (candidates, the scheduler's pick, the conditional UPDATE) with 10k jobs pending,
// the claim throughput of 8 concurrent claimers, and jobs per second through the cluster
// with 1, 2 and 4 agents on stand-in engines (each run takes RUN_MS), side by side with
// the scaling ratio. One JSON object per figure on stdout; progress on stderr.
//
// Usage: npm run bench:cluster [-- --quick]   (builds dist/ first)
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { startPostgres } from "../scripts/postgres-server.mjs";
import { ClusterAgent } from "../dist/src/cluster/agent.js";
import { queueEntryOf } from "../dist/src/jobs/queue-entries.js";
import { DEFAULT_POLICY } from "../dist/src/scheduler/policy.js";
import { PriorityDispatcher } from "../dist/src/scheduler/priority-dispatcher.js";
import { PostgresJobStore } from "../dist/src/store/postgres.js";
import { figureEmitter } from "./lib-emit.mjs";
import { busyPool } from "./api/busy-engine.mjs";

const quick = process.argv.includes("--quick");
const PENDING = quick ? 1_000 : 10_000;
const TIMED_CLAIMS = quick ? 50 : 200;
const CONCURRENT_CLAIMERS = 8;
const CONCURRENT_CLAIMS = quick ? 400 : 2_000;
const AGENT_COUNTS = [1, 2, 4];
const CLUSTER_JOBS = quick ? 40 : 200;
const RUN_MS = 50;
const KEYS = ["key-a", "key-b", "key-c", "key-d", "key-e"];

const logger = pino({ level: "warn" }, pino.destination(2));
const log = (text) => process.stderr.write(`[cluster-bench] ${text}\n`);

const emit = figureEmitter("cluster");

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** A pending image job with a minimal plan: the store and the scheduler read no more. */
function newJob(index) {
  return {
    id: randomUUID(),
    legacyId: null,
    type: "image",
    data: { prompt: `job ${index}` },
    plan: { kind: "image", transformer: index % 3 === 0 ? "f1" : "base", loras: [] },
    priority: index % 7 === 0 ? 1 : 0,
    apiKeyHash: KEYS[index % KEYS.length],
    batchItems: null,
  };
}

async function fill(store, count) {
  for (let start = 0; start < count; start += 500) {
    const batch = [];
    for (let index = start; index < Math.min(count, start + 500); index++)
      batch.push(store.insert(newJob(index)));
    await Promise.all(batch);
  }
}

/** One claim as an agent makes it: candidates, the scheduler's pick, the claim by id. */
async function claimOne(store, owner) {
  const candidates = await store.candidates({ perKey: 20, limit: 200 });
  const dispatcher = new PriorityDispatcher(DEFAULT_POLICY);
  for (const job of candidates) dispatcher.enqueue(queueEntryOf(job));
  for (let tries = 0; tries < candidates.length; tries++) {
    const entry = dispatcher.next({ id: owner, loadout: null }, Date.now());
    if (!entry) return false;
    if (await store.claim(entry.jobId, owner, 60_000)) return true;
  }
  return false;
}

async function claims(server) {
  const url = server.createDatabase("claims");
  const store = await PostgresJobStore.open(url, { log: logger });
  log(`inserting ${PENDING} pending jobs`);
  await fill(store, PENDING);
  const latencies = [];
  for (let index = 0; index < TIMED_CLAIMS; index++) {
    const start = performance.now();
    await claimOne(store, "timer");
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  emit("claim_latency_p50", percentile(latencies, 50), "ms", { pending: PENDING });
  emit("claim_latency_p95", percentile(latencies, 95), "ms", { pending: PENDING });
  const claimers = await Promise.all(
    Array.from({ length: CONCURRENT_CLAIMERS }, () => PostgresJobStore.open(url, { log: logger })),
  );
  let claimed = 0;
  const start = performance.now();
  await Promise.all(
    claimers.map(async (claimer, index) => {
      while (claimed < CONCURRENT_CLAIMS) {
        if (!(await claimOne(claimer, `claimer-${index}`))) return;
        claimed++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  emit("claims_per_second", claimed / seconds, "claims/s", {
    claimers: CONCURRENT_CLAIMERS,
    pending: PENDING,
  });
  await Promise.all([store, ...claimers].map((one) => one.close()));
}

const noEvents = { publish: () => undefined };
const noStorage = {
  prepare: (job) => Promise.resolve({ ...job.plan, output_dir: "/nonexistent" }),
  keyOf: () => undefined,
  publish: () => Promise.resolve(),
  runEnded: () => Promise.resolve(),
};

async function throughput(server, agentCount) {
  const url = server.createDatabase(`agents_${agentCount}`);
  const seed = await PostgresJobStore.open(url, { log: logger });
  await fill(seed, CLUSTER_JOBS);
  const parts = await Promise.all(
    Array.from({ length: agentCount }, async (_, index) => {
      const store = await PostgresJobStore.open(url, { log: logger });
      const { pool } = busyPool(logger, { id: `stand-in-${index}`, finishAfterMs: RUN_MS });
      const agent = new ClusterAgent({
        id: `bench-agent-${index}`,
        host: "bench",
        store,
        pool,
        storage: noStorage,
        events: noEvents,
        logger,
        maxAttempts: 3,
        leaseMs: 30_000,
        pollMs: 50,
      });
      return { store, pool, agent };
    }),
  );
  const start = performance.now();
  await Promise.all(parts.map(({ pool }) => pool.start()));
  await Promise.all(parts.map(({ agent }) => agent.start()));
  for (;;) {
    const { jobs } = await seed.list({ status: "completed", limit: 1 });
    const done =
      (await seed.list({ status: "pending", limit: 1 })).jobs.length === 0 && jobs.length > 0;
    if (done && (await seed.list({ status: "processing", limit: 1 })).jobs.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - start) / 1000;
  for (const { agent, pool, store } of parts) {
    await agent.stop();
    await pool.stop();
    await store.close();
  }
  await seed.close();
  return CLUSTER_JOBS / seconds;
}

const server = await startPostgres();
try {
  await claims(server);
  const rates = new Map();
  for (const count of AGENT_COUNTS) {
    log(`${CLUSTER_JOBS} jobs of ${RUN_MS} ms through ${count} agent(s)`);
    rates.set(count, await throughput(server, count));
  }
  const one = rates.get(1);
  for (const [count, rate] of rates) {
    emit("cluster_jobs_per_second", rate, "jobs/s", {
      agents: count,
      run_ms: RUN_MS,
      scaling_vs_one_agent: Number((rate / one).toFixed(3)),
      ideal: count,
    });
  }
} finally {
  server.stop();
}
