// The leased queue of cluster mode on a real PostgreSQL (docs/cluster.md): concurrent
// claimers, lease expiry and the reaper, stale holders, cancel from another replica,
// candidate sets, agents. Every store here is its own pool, as separate hosts would be.
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Lease } from "../src/store/leases.js";
import { PostgresJobStore } from "../src/store/postgres.js";
import { REAPER_LOCK } from "../src/store/postgres-leases.js";
import type { JobType } from "../src/contract/requests.js";
import type { BatchItemState, JobProgress, NewJob } from "../src/store/types.js";
import { storedImageRecord } from "./helpers/plans.js";
import { usePostgres } from "./helpers/postgres.js";

const postgres = usePostgres();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newJob(id: string, fields: Partial<NewJob> = {}): NewJob {
  return { ...storedImageRecord(id, `prompt of ${id}`), ...fields };
}

const progressAt = (step: number): JobProgress => ({
  progress: step / 10,
  step,
  total: 10,
  info: `step ${step}`,
  phase: "sampling",
});

const RESULT = { outputs: [], metadata: {} };
const ERROR = { code: "internal_error", message: "x" };

describe("the PostgreSQL leased queue", () => {
  let url: string;
  let stores: PostgresJobStore[];
  /** A store of its own pool: another host. */
  const host = async () => {
    const store = await PostgresJobStore.open(url, { maxConnections: 2 });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    url = await postgres.freshDatabase();
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  /** Polls the reaper (bounded) until it takes something back. */
  async function reapWhenExpired(store: PostgresJobStore, maxAttempts: number) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const report = await store.reapExpired(maxAttempts);
      if (report.requeued.length + report.failed.length > 0) return report;
      if (Date.now() > deadline) throw new Error("no lease expired within 5 s");
      await sleep(50);
    }
  }

  it("lets 8 concurrent claimers take every job exactly once", async () => {
    const queue = await host();
    const ids = Array.from({ length: 40 }, (_, index) => `job-${String(index).padStart(2, "0")}`);
    for (const [index, id] of ids.entries()) {
      await queue.insert(newJob(id, { apiKeyHash: `key-${index % 3}` }));
    }
    const claimers = await Promise.all(Array.from({ length: 8 }, () => host()));
    const claimed = await Promise.all(
      claimers.map(async (store, claimer) => {
        const mine: Lease[] = [];
        const deadline = Date.now() + 20_000;
        // Every claimer goes for the same head of the set: as many lost races as can be.
        for (let round = 0; round < 400 && Date.now() < deadline; round++) {
          const [pick] = await store.candidates({ perKey: 5, limit: 20 });
          if (pick === undefined) return mine;
          const lease = await store.claim(pick.id, `agent-${claimer}`, 30_000);
          if (lease) mine.push(lease);
        }
        throw new Error(`claimer ${claimer} did not see the queue empty in time`);
      }),
    );
    const all = claimed.flat();
    expect(all.map((lease) => lease.jobId).sort()).toEqual(ids);
    expect(new Set(all.map((lease) => lease.token)).size).toBe(ids.length);
    expect(all.every((lease) => lease.attempt === 1)).toBe(true);
    // Several claimers got work: the races were real.
    expect(claimed.filter((mine) => mine.length > 0).length).toBeGreaterThan(1);
    for (const id of ids) {
      expect(await queue.get(id)).toMatchObject({ status: "processing", attempts: 1 });
    }
  });

  it("requeues a job whose lease expired, attempts kept, and fails it after maxAttempts", async () => {
    const store = await host();
    await store.insert(newJob("a"));
    const first = await store.claim("a", "agent-1", 200);
    expect(first).toMatchObject({ jobId: "a", owner: "agent-1", attempt: 1 });
    // Not expired yet: nothing to reap.
    expect(await store.reapExpired(2)).toEqual({ requeued: [], failed: [] });
    expect(await reapWhenExpired(store, 2)).toEqual({ requeued: ["a"], failed: [] });
    const requeued = await store.get("a");
    expect(requeued).toMatchObject({ status: "pending", attempts: 1, startedAt: null });
    expect(requeued?.error?.message).toMatch(/lease .* expired/);

    const second = await store.claim("a", "agent-2", 200);
    expect(second?.attempt).toBe(2);
    expect(await reapWhenExpired(store, 2)).toEqual({ requeued: [], failed: ["a"] });
    const failed = await store.get("a");
    expect(failed).toMatchObject({ status: "failed", attempts: 2 });
    expect(failed?.error?.message).toMatch(/2 times; giving up$/);
    expect(failed?.completedAt).not.toBeNull();
  });

  it("keeps a renewed lease from expiring", async () => {
    const store = await host();
    await store.insert(newJob("a"));
    const lease = await store.claim("a", "agent-1", 300);
    if (!lease) throw new Error("not claimed");
    for (let beat = 0; beat < 6; beat++) {
      await sleep(100);
      expect(await store.renew(lease, 300)).toEqual({ held: true, cancelled: false });
    }
    expect(await store.reapExpired(3)).toEqual({ requeued: [], failed: [] });
    expect((await store.get("a"))?.status).toBe("processing");
  });

  it("takes a late renewal while the reaper has not taken the job back", async () => {
    const store = await host();
    await store.insert(newJob("a"));
    const lease = await store.claim("a", "agent-1", 100);
    if (!lease) throw new Error("not claimed");
    await sleep(250); // expired, but nobody reaped it: nobody else runs it either
    expect(await store.renew(lease, 30_000)).toEqual({ held: true, cancelled: false });
    expect(await store.reapExpired(3)).toEqual({ requeued: [], failed: [] });
    expect(await store.completeLeased(lease, RESULT)).toBe(true);
  });

  it("reaps with one process at a time: the reaper's lock held elsewhere means nothing is done", async () => {
    const [a, b] = [await host(), await host()];
    for (let index = 0; index < 10; index++) {
      await a.insert(newJob(`j${index}`));
      await a.claim(`j${index}`, "dead-agent", 100);
    }
    await sleep(250);
    const other = new pg.Client(url);
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock($1)", [REAPER_LOCK.toString()]);
      expect(await a.reapExpired(3)).toEqual({ requeued: [], failed: [] });
      expect((await a.get("j0"))?.status).toBe("processing");
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    // Two at once: each job is taken back once, by one of them.
    const reports = await Promise.all([a.reapExpired(3), b.reapExpired(3)]);
    const requeued = reports.flatMap((report) => report.requeued).sort();
    expect(requeued).toEqual(Array.from({ length: 10 }, (_, index) => `j${index}`));
    expect(reports.flatMap((report) => report.failed)).toEqual([]);
    const pending = await a.pending();
    expect(pending.every((job) => job.attempts === 1)).toBe(true);
  });

  it("refuses a stale holder's writes once its lease was reaped and the job claimed again", async () => {
    const [a, b] = [await host(), await host()];
    const items = [0, 1].map((index) => ({
      index,
      prompt: `item ${index}`,
      seed: index,
      status: "pending" as const,
      key: null,
      error: null,
    }));
    await a.insert(newJob("job", { type: "batch_image", batchItems: items }));
    const stale = await a.claim("job", "agent-a", 150);
    if (!stale) throw new Error("not claimed");
    expect(await a.setProgressLeased(stale, progressAt(1))).toBe(true);
    await reapWhenExpired(b, 3);
    const fresh = await b.claim("job", "agent-b", 30_000);
    if (!fresh) throw new Error("not claimed again");
    expect(fresh.attempt).toBe(2);

    const done: BatchItemState = {
      index: 0,
      prompt: "item 0",
      seed: 0,
      status: "completed",
      key: "job/0.png",
      error: null,
    };
    expect(await a.renew(stale, 30_000)).toEqual({ held: false, cancelled: false });
    expect(await a.setProgressLeased(stale, progressAt(9))).toBe(false);
    expect(await a.setBatchItemLeased(stale, done)).toBe(false);
    expect(await a.completeLeased(stale, RESULT)).toBe(false);
    expect(await a.failLeased(stale, ERROR)).toBe(false);
    expect(await a.requeueLeased(stale, ERROR)).toBe(false);
    expect(await a.releaseLeased(stale)).toBe(false);
    // The same token under another owner's name is no lease either.
    expect(await a.completeLeased({ ...fresh, owner: "agent-a" }, RESULT)).toBe(false);
    expect(await b.get("job")).toMatchObject({ status: "processing", attempts: 2 });
    expect((await b.get("job"))?.progress.step).toBe(0);

    expect(await b.setProgressLeased(fresh, progressAt(4))).toBe(true);
    expect(await b.setBatchItemLeased(fresh, done)).toBe(true);
    expect(await b.completeLeased(fresh, RESULT)).toBe(true);
    const completed = await a.get("job");
    expect(completed).toMatchObject({ status: "completed", attempts: 2, error: null });
    expect(completed?.batchItems?.[0]).toEqual(done);
    expect(completed?.progress).toMatchObject({ step: 10, phase: "done" });
  });

  it("tells the holder at its next renewal that another replica cancelled the job", async () => {
    const [agent, replica] = [await host(), await host()];
    await replica.insert(newJob("a"));
    const lease = await agent.claim("a", "agent-1", 30_000);
    if (!lease) throw new Error("not claimed");
    expect(await agent.renew(lease, 30_000)).toEqual({ held: true, cancelled: false });
    expect(await replica.cancel("a")).toBe(true);
    expect(await agent.renew(lease, 30_000)).toEqual({ held: false, cancelled: true });
    expect(await agent.completeLeased(lease, RESULT)).toBe(false);
    expect(await agent.reapExpired(3)).toEqual({ requeued: [], failed: [] });
    expect((await replica.get("a"))?.status).toBe("cancelled");
  });

  it("gives an attempt back on release and keeps the attempt on requeue", async () => {
    const store = await host();
    await store.insert(newJob("v", { type: "video" }));
    const first = await store.claim("v", "agent-1", 30_000);
    if (!first) throw new Error("not claimed");
    expect(await store.setProgressLeased(first, progressAt(6))).toBe(true);
    expect(await store.releaseLeased(first)).toBe(true);
    expect(await store.get("v")).toMatchObject({ status: "pending", attempts: 0 });
    expect((await store.get("v"))?.progress.step).toBe(6);
    expect(await store.renew(first, 30_000)).toEqual({ held: false, cancelled: false });

    const second = await store.claim("v", "agent-2", 30_000);
    expect(second?.attempt).toBe(1);
    if (!second) throw new Error("not claimed");
    expect(await store.requeueLeased(second, { code: "engine_crashed", message: "x" })).toBe(true);
    expect(await store.get("v")).toMatchObject({ status: "pending", attempts: 1 });
    expect((await store.get("v"))?.error?.code).toBe("engine_crashed");
    const third = await store.claim("v", "agent-3", 30_000);
    if (!third) throw new Error("not claimed");
    expect(await store.failLeased(third, ERROR)).toBe(true);
    expect(await store.get("v")).toMatchObject({ status: "failed", attempts: 2, error: ERROR });
  });

  it("offers a bounded candidate set: per key by priority then age, every key first", async () => {
    const store = await host();
    const jobs: [string, string | null, JobType, number][] = [
      ["k1-a", "k1", "image", 0],
      ["k1-b", "k1", "video", 0],
      ["k1-c", "k1", "image", 0],
      ["k1-urgent", "k1", "image", 5],
      ["k2-a", "k2", "video", 0],
      ["k2-b", "k2", "image", 0],
      ["anon-a", null, "image", 0],
      ["anon-b", null, "image", 0],
      ["anon-c", null, "video", 0],
    ];
    for (const [id, key, type, priority] of jobs) {
      await store.insert(newJob(id, { apiKeyHash: key, type, priority }));
    }
    await store.claim("anon-a", "agent", 30_000); // running: no candidate
    const ids = async (query: Parameters<PostgresJobStore["candidates"]>[0]) =>
      (await store.candidates(query)).map((job) => job.id);
    expect(await ids({ perKey: 2, limit: 100 })).toEqual([
      "k1-urgent",
      "k2-a",
      "anon-b",
      "k1-a",
      "k2-b",
      "anon-c",
    ]);
    expect(await ids({ perKey: 2, limit: 3 })).toEqual(["k1-urgent", "k2-a", "anon-b"]);
    expect(await ids({ perKey: 1, limit: 100, types: ["video"] })).toEqual([
      "k1-b",
      "k2-a",
      "anon-c",
    ]);
    expect(await ids({ perKey: 10, limit: 100, types: [] })).toEqual([]);
    expect((await ids({ perKey: 10, limit: 100 })).length).toBe(8);
  });

  it("records agents' heartbeats on the database's clock", async () => {
    const store = await host();
    await store.heartbeatAgent({ id: "agent-1", host: "gpu-1", engines: [{ id: "cuda:0" }] });
    await store.heartbeatAgent({ id: "agent-2", host: "gpu-2", engines: [] });
    const before = await store.agents(60_000);
    expect(before.map((agent) => agent.id)).toEqual(["agent-2", "agent-1"]); // newest first
    const started = before[1]?.startedAt;
    await sleep(20);
    await store.heartbeatAgent({ id: "agent-1", host: "gpu-1", engines: [{ id: "cuda:1" }] });
    const agents = await store.agents(60_000);
    expect(agents.map((agent) => agent.id)).toEqual(["agent-1", "agent-2"]);
    const [beat] = agents;
    expect(beat).toMatchObject({ host: "gpu-1", engines: [{ id: "cuda:1" }], startedAt: started });
    expect(Date.parse(beat?.heartbeatAt ?? "")).toBeGreaterThan(Date.parse(started ?? ""));
    await sleep(120);
    expect(await store.agents(100)).toEqual([]);
    await store.removeAgent("agent-2");
    expect((await store.agents(60_000)).map((agent) => agent.id)).toEqual(["agent-1"]);
  });

  it("leaves leased jobs to the reaper at a replica's start and stop", async () => {
    const store = await host();
    await store.insert(newJob("leased"));
    await store.insert(newJob("local"));
    await store.claim("leased", "agent-1", 30_000);
    await store.start("local");
    expect(await store.requeueStopped()).toEqual(["local"]);
    await store.start("local");
    expect(await store.recoverInterrupted(3)).toEqual({ requeued: ["local"], failed: [] });
    expect(await store.get("leased")).toMatchObject({ status: "processing", attempts: 1 });
  });
});
