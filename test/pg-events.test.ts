// Job events across replicas (docs/cluster.md, "Events") on a real PostgreSQL: two hubs
// on two pools over one database stand for two processes. What one publishes reaches the
// other's subscribers live and in order, progress coalesced, status and done never
// dropped (not even while the database refuses writes); Last-Event-ID resumes on either;
// a killed listening connection comes back and catches up; and the SSE route of the
// real app serves a job's stream from the durable log.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compacted } from "../src/jobs/durable-events.js";
import { followJobEvents, type JobEvent, type JobEventName } from "../src/jobs/events.js";
import { JOB_EVENTS_LOCK_SPACE } from "../src/store/postgres-events.js";
import { openSse, type SseMessage } from "./helpers/sse.js";
import type pg from "pg";
import {
  replica,
  startPostgresServer,
  startReplica,
  type PostgresServer,
  type Replica,
} from "./helpers/pg-events.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const WAIT = { timeout: 10_000, interval: 20 };

let server: PostgresServer;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  server = await startPostgresServer();
  // Both at once: the schema step is safe to run concurrently.
  [a, b] = await Promise.all([
    startReplica(server.url, "replica-a"),
    startReplica(server.url, "replica-b"),
  ]);
});

afterAll(async () => {
  await a.close();
  await b.close();
  server.stop();
});

/** Follows a job on `replica` from after `lastEventId`, collecting what arrives. */
async function follow(replica: Replica, jobId: string, lastEventId = 0) {
  const received: JobEvent[] = [];
  const followed = await followJobEvents(replica.hub, jobId, lastEventId, (event) => {
    received.push(event);
  });
  const until = async (name: JobEventName) => {
    await vi.waitFor(() => {
      expect(received.map((event) => event.name)).toContain(name);
    }, WAIT);
  };
  return { received, until, stop: followed.unsubscribe };
}

function step(event: JobEvent | undefined): unknown {
  return (event?.data as { step?: number } | undefined)?.step;
}

describe("durable job events across two replicas", () => {
  it("reach a subscriber on the other replica live, in order, with progress coalesced", async () => {
    const job = randomUUID();
    const watcher = await follow(b, job);
    a.hub.publish(job, "status", { status: "pending" });
    a.hub.publish(job, "status", { status: "processing" });
    for (let i = 0; i < 100; i++) a.hub.publish(job, "progress", { step: i });
    a.hub.publish(job, "item", { index: 0 });
    for (let i = 100; i < 200; i++) a.hub.publish(job, "progress", { step: i });
    a.hub.publish(job, "status", { status: "completed" });
    a.hub.publish(job, "done", { status: "completed" });
    await watcher.until("done");
    watcher.stop();

    const { received } = watcher;
    const ids = received.map((event) => event.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    const others = received.filter((event) => event.name !== "progress");
    expect(others.map((event) => [event.name, event.data])).toEqual([
      ["status", { status: "pending" }],
      ["status", { status: "processing" }],
      ["item", { index: 0 }],
      ["status", { status: "completed" }],
      ["done", { status: "completed" }],
    ]);
    const progress = received.filter((event) => event.name === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(6); // of 200
    // The latest wins: the last progress before the item and before the end is kept.
    const itemAt = received.findIndex((event) => event.name === "item");
    expect(step(received[itemAt - 1])).toBe(99);
    expect(step(progress.at(-1))).toBe(199);
    // What was delivered live is what the log holds.
    expect(await b.hub.since(job, 0)).toEqual(received);
    expect(a.hub.announcedEnd(job)).toBe(true);
    expect(b.hub.announcedEnd(job)).toBe(false); // B published nothing of it
  });

  it("resume after a Last-Event-ID on the other replica with exactly the later events", async () => {
    const job = randomUUID();
    const watcher = await follow(a, job);
    for (let index = 0; index < 10; index++) a.hub.publish(job, "item", { index });
    a.hub.publish(job, "done", { status: "completed" });
    await watcher.until("done");
    watcher.stop();
    const all = watcher.received;
    expect(all).toHaveLength(11);

    const seen = all[3]?.id ?? 0;
    expect(await b.hub.resumeAfter(seen)).toBe(seen);
    expect(await b.hub.since(job, seen)).toEqual(all.slice(4));
    const resumed = await follow(b, job, seen);
    resumed.stop();
    expect(resumed.received).toEqual(all.slice(4));
    // Ids no process handed out name nothing: from the start.
    const future = (all.at(-1)?.id ?? 0) + 1000;
    for (const id of [future, Number("1e309"), -1, 2.5]) {
      expect(await b.hub.resumeAfter(id), String(id)).toBe(0);
    }
  });

  it("are caught up after the listening connection is killed", async () => {
    const job = randomUUID();
    const watcher = await follow(b, job);
    a.hub.publish(job, "status", { status: "processing" });
    await watcher.until("status");
    // Rows whose wake-up B never hears (as if sent while its connection was down).
    await a.pool.query(
      `INSERT INTO job_events (job_id, name, data)
       VALUES ($1, 'item', '{"index":0}'), ($1, 'item', '{"index":1}')`,
      [job],
    );
    const killed = await b.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'replica-b'`,
    );
    expect(killed.rows).toHaveLength(1);
    await b.pool.query("SELECT pg_terminate_backend($1)", [killed.rows[0]?.pid]);

    await vi.waitFor(async () => {
      const listener = await b.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'replica-b'`,
      );
      expect(listener.rows.map((row) => row.pid)).not.toEqual(killed.rows.map((row) => row.pid));
      expect(listener.rows).toHaveLength(1);
    }, WAIT);
    // Nothing wakes B for this job now but its reconnection.
    await vi.waitFor(() => {
      expect(watcher.received).toHaveLength(3);
    }, WAIT);
    a.hub.publish(job, "done", { status: "completed" }); // and live again
    await watcher.until("done");
    watcher.stop();
    expect(watcher.received.map((event) => [event.name, event.data])).toEqual([
      ["status", { status: "processing" }],
      ["item", { index: 0 }],
      ["item", { index: 1 }],
      ["done", { status: "completed" }],
    ]);
  });

  it("of one job commit in id order whichever replica writes them, so a reader never skips one", async () => {
    const job = randomUUID();
    // Another writer of the job is inside its append: it holds the job's lock, no id yet.
    const other = await b.pool.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT pg_advisory_xact_lock(${JOB_EVENTS_LOCK_SPACE}, hashtext($1))`, [
        job,
      ]);
      a.hub.publish(job, "item", { index: 1 });
      await vi.waitFor(async () => {
        const waiting = await b.pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%job_events%'`,
        );
        expect(waiting.rows).toHaveLength(1); // A's append waits for the lock
      }, WAIT);
      // The other draws its id now, after A's statement began, and commits.
      await other.query(
        `INSERT INTO job_events (job_id, name, data) VALUES ($1, 'item', '{"index":0}')`,
        [job],
      );
      await other.query("COMMIT");
    } finally {
      other.release();
    }
    await vi.waitFor(async () => {
      expect(await b.hub.since(job, 0)).toHaveLength(2);
    }, WAIT);
    // A drew its id only once the other had committed: ids are in commit order.
    const stored = await b.hub.since(job, 0);
    expect(stored.map((event) => event.data)).toEqual([{ index: 0 }, { index: 1 }]);
  });

  it("keep status and done while the database refuses writes, and write them once it takes them", async () => {
    const job = randomUUID();
    a.hub.publish(job, "status", { status: "processing" });
    await vi.waitFor(async () => {
      expect(await a.hub.since(job, 0)).toHaveLength(1);
    }, WAIT);
    // The table is gone for a while: every append fails.
    await a.pool.query("ALTER TABLE job_events RENAME TO job_events_away");
    try {
      for (let i = 0; i < 50; i++) {
        a.hub.publish(job, "progress", { step: i });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      a.hub.publish(job, "status", { status: "completed" });
      a.hub.publish(job, "done", { status: "completed" });
      await new Promise((resolve) => setTimeout(resolve, 300)); // a few failed tries
    } finally {
      await a.pool.query("ALTER TABLE job_events_away RENAME TO job_events");
    }
    await vi.waitFor(async () => {
      const stored = await b.hub.since(job, 0);
      expect(stored.at(-1)?.name).toBe("done");
    }, WAIT);
    const stored = await b.hub.since(job, 0);
    const others = stored.filter((event) => event.name !== "progress");
    expect(others.map((event) => event.data)).toEqual([
      { status: "processing" },
      { status: "completed" },
      { status: "completed" },
    ]);
    const progress = stored.filter((event) => event.name === "progress");
    expect(progress.length).toBeLessThanOrEqual(6); // of 50
    expect(step(progress.at(-1))).toBe(49);
  });
});

describe("compacting a queue that cannot be written", () => {
  it("lets superseded progress go, never a status, item or done, nor their order", () => {
    const queue = [
      { name: "progress", data: 1 },
      { name: "preview", data: "a" },
      { name: "progress", data: 2 },
      { name: "status", data: "s" },
      { name: "progress", data: 3 },
      { name: "item", data: 0 },
      { name: "preview", data: "b" },
      { name: "progress", data: 4 },
      { name: "preview", data: "c" },
      { name: "progress", data: 5 },
      { name: "done", data: "d" },
    ];
    expect(compacted(queue).map((event) => event.data)).toEqual(["a", 2, "s", 3, 0, "c", 5, "d"]);
  });
});

describe("the SSE route on the durable log", () => {
  let service: AssembledService;
  let url: string;
  let pool: pg.Pool | undefined;

  beforeAll(async () => {
    // The app is a third replica; the schema is there already (A and B ensured it).
    service = await assembleEngineFreeService({
      eventHub: (observe) => {
        const parts = replica(server.url, "replica-app", { observer: observe });
        pool = parts.pool;
        return parts.hub;
      },
    });
    url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  });

  afterAll(async () => {
    await service.close(); // closes its hub
    await pool?.end();
  });

  it("streams a job published on another replica and resumes after Last-Event-ID", async () => {
    const submitted = await service.app.inject({
      method: "POST",
      url: "/api/generate-image",
      payload: { prompt: "durable", width: 128, height: 96, steps: 3 },
    });
    expect(submitted.statusCode).toBe(202);
    const id = submitted.json<{ job_id: string }>().job_id;
    const open = (headers: Record<string, string>) =>
      openSse(`${url}/api/jobs/${id}/events`, headers);
    const untilDone = (message: SseMessage) => message.event === "done";
    // Following already (it subscribes before answering): the run's events come live.
    const live = (await open({})).read(untilDone);
    // The "agent" runs it: its events come from replica A.
    a.hub.publish(id, "status", { status: "processing" });
    a.hub.publish(id, "progress", { step: 1, total: 3 });
    a.hub.publish(id, "status", { status: "completed" });
    a.hub.publish(id, "done", { status: "completed" });
    const messages = await live;
    expect(messages.map((message) => message.event)).toEqual([
      "status",
      "status",
      "progress",
      "status",
      "done",
    ]);
    expect(JSON.parse(messages[0]?.data ?? "null")).toEqual({ status: "pending" });
    expect(JSON.parse(messages.at(-1)?.data ?? "null")).toMatchObject({ id });

    const resumed = await (
      await open({ "last-event-id": String(messages[1]?.id) })
    ).read(untilDone);
    expect(resumed.map((message) => message.id)).toEqual(
      messages.slice(2).map((message) => message.id),
    );
    // The service's observer heard of the submission it wrote (metrics, webhooks).
    const metrics = await service.app.inject({ url: "/metrics" });
    expect(metrics.body).toContain('framepack_jobs_created_total{type="image"} 1');
  });
});
