// What the PostgreSQL job store does beyond the shared contract (test/store.test.ts):
// a database that goes away, concurrent start-ups migrating it, damaged rows,
// idempotency claims across replicas, webhook messages, progress on its timer, a link
// that stops carrying anything.
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startPostgres } from "../scripts/postgres-server.mjs";
import { JobDatabaseError, StoreUnavailableError } from "../src/store/errors.js";
import { IdempotencyKeyTakenError } from "../src/store/idempotency-keys.js";
import { redactedUrl, unavailableReason } from "../src/store/postgres-connection.js";
import { POSTGRES_MIGRATIONS } from "../src/store/postgres-migrations.js";
import { openPgJobEventLog } from "../src/store/postgres-events.js";
import { PostgresJobStore } from "../src/store/postgres.js";
import type { StoreLog } from "../src/store/records.js";
import type { NewJob } from "../src/store/types.js";
import { storedImageJob, storedImageRecord } from "./helpers/plans.js";
import { testLogger } from "./helpers/engine.js";
import { usePostgres } from "./helpers/postgres.js";

const postgres = usePostgres();

function newJob(id: string, fields: Partial<NewJob> = {}): NewJob {
  return { ...storedImageRecord(id, `prompt of ${id}`), ...fields };
}

/** Runs `sql` on a connection of its own, as an operator or another program would. */
async function query<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("the PostgreSQL job store's database", () => {
  it("turns a server that went away into StoreUnavailableError, and refuses to open without one", async () => {
    const server = await startPostgres();
    const store = await PostgresJobStore.open(server.url, { connectTimeoutMs: 1000 });
    await store.insert(newJob("a"));
    server.stop();
    const refused = await store.get("a").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(refused).toMatchObject({ reason: "unreachable" });
    await expect(store.insert(newJob("b"))).rejects.toMatchObject({ reason: "unreachable" });
    await expect(store.start("a")).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close().catch(() => undefined);

    const secretUrl = server.url.replace("framepack@", "framepack:s3cret-word@");
    const opening = await PostgresJobStore.open(secretUrl).catch((error: unknown) => error);
    expect(opening).toBeInstanceOf(JobDatabaseError);
    expect((opening as Error).message).toMatch(/^the job database postgres:\/\/framepack:\*\*\*@/);
    expect((opening as Error).message).not.toContain("s3cret");
    // "localhost" may be tried on two addresses: each refusal is named.
    const local = await PostgresJobStore.open(
      `postgres://framepack:s3cret-word@localhost:${server.port}/framepack`,
    ).catch((error: unknown) => error);
    expect((local as Error).message).toMatch(/ECONNREFUSED/);
    expect((local as Error).message).not.toContain("s3cret");
  });

  it("tells passing failures from others", () => {
    const coded = (code: string) => Object.assign(new Error("x"), { code });
    expect(unavailableReason(coded("ECONNREFUSED"))).toBe("unreachable");
    expect(unavailableReason(coded("57P01"))).toBe("unreachable"); // admin shutdown
    expect(unavailableReason(coded("08006"))).toBe("unreachable");
    expect(unavailableReason(coded("53100"))).toBe("full");
    expect(unavailableReason(coded("40P01"))).toBe("busy");
    expect(unavailableReason(coded("57014"))).toBe("busy"); // statement timeout
    expect(unavailableReason(new Error("Connection terminated unexpectedly"))).toBe("unreachable");
    expect(unavailableReason(coded("23505"))).toBeUndefined(); // unique violation: a bug
    expect(unavailableReason(coded("42601"))).toBeUndefined(); // syntax error
  });

  it("redacts the password and secret-looking parameters of a URL", () => {
    expect(redactedUrl("postgres://u:pw@db:5432/jobs?sslmode=require&sslpassword=x")).toBe(
      "postgres://u:***@db:5432/jobs?sslmode=require&sslpassword=***",
    );
    expect(redactedUrl("postgres://u@db/jobs")).toBe("postgres://u@db/jobs");
    expect(redactedUrl("not a url :pw@")).not.toContain("pw");
  });

  it("migrates once when replicas start at once, and refuses a newer schema", async () => {
    const url = await postgres.freshDatabase();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => PostgresJobStore.open(url, { maxConnections: 1 })),
    );
    await stores[0]?.insert(newJob("a"));
    expect((await stores[3]?.get("a"))?.id).toBe("a");
    await Promise.all(stores.map((store) => store.close()));
    const versions = await query<{ version: number }>(
      url,
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    expect(versions.map((row) => row.version)).toEqual(
      POSTGRES_MIGRATIONS.map((_, index) => index + 1),
    );

    await query(url, "INSERT INTO schema_migrations (version) VALUES ($1)", [
      POSTGRES_MIGRATIONS.length + 1,
    ]);
    const refused = await PostgresJobStore.open(url).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(JobDatabaseError);
    const newer = POSTGRES_MIGRATIONS.length + 1;
    expect((refused as Error).message).toMatch(
      new RegExp(`schema version ${String(newer)}, newer than this server knows`),
    );
  });
});

describe("the PostgreSQL job store", () => {
  let url: string;
  let store: PostgresJobStore;
  beforeEach(async () => {
    url = await postgres.freshDatabase();
    store = await PostgresJobStore.open(url);
  });
  afterEach(async () => {
    await store.close();
  });

  it("deletes a job's events with the job, however it is deleted", async () => {
    for (const id of ["kept", "removed", "finished"]) await store.insert(newJob(id));
    const opened = openPgJobEventLog(url, testLogger);
    try {
      for (const id of ["kept", "removed", "finished"]) {
        await opened.log.append(id, [{ name: "status", data: { status: "pending" } }]);
      }
      await store.remove(["removed"]);
      await store.cancel("finished");
      expect(await store.removeFinished("finished")).toBe(true);
      expect(await opened.log.after("kept", 0, 10)).toHaveLength(1);
      expect(await opened.log.after("removed", 0, 10)).toEqual([]);
      expect(await opened.log.after("finished", 0, 10)).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("sets aside a row that cannot be read, and answers for the others", async () => {
    const errors: object[] = [];
    const log: StoreLog = { warn: () => undefined, error: (fields) => errors.push(fields) };
    await store.close();
    store = await PostgresJobStore.open(url, { log });
    for (const id of ["a", "b", "c"]) await store.insert(newJob(id));
    await query(url, `UPDATE jobs SET progress = '[1, 2]' WHERE id = 'b'`);
    await query(url, `UPDATE jobs SET plan = '{"kind": "nonsense"}' WHERE id = 'c'`);
    expect((await store.list({ limit: 10 })).jobs.map((job) => job.id)).toEqual(["a"]);
    expect(errors).toMatchObject([
      { jobId: "c", field: "plan" },
      { jobId: "b", field: "progress" },
    ]);
    expect(JSON.stringify(errors)).not.toContain("password");
    const setAside = await query<{ id: string; row: string }>(
      url,
      "SELECT id, row FROM damaged_jobs ORDER BY id",
    );
    expect(setAside.map((row) => row.id)).toEqual(["b", "c"]);
    expect(JSON.parse(setAside[0]?.row ?? "{}")).toMatchObject({ id: "b", status: "pending" });
    expect(await store.get("b")).toBeUndefined();
  });

  it("refuses a write held up past the statement timeout as busy, storing nothing", async () => {
    await store.close();
    store = await PostgresJobStore.open(url, { statementTimeoutMs: 300 });
    await store.insert(newJob("a"));
    const other = new pg.Client(url);
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT * FROM jobs WHERE id = 'a' FOR UPDATE");
      await expect(store.start("a")).rejects.toMatchObject({
        name: "StoreUnavailableError",
        reason: "busy",
      });
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    expect((await store.get("a"))?.status).toBe("pending");
    expect(await store.start("a")).toBe(true);
  });

  it("gives up on a query no answer reaches as unreachable, and connects anew", async () => {
    // A link to the server that can be made to drop everything, as a cut network does
    // (no reset, no answer: only the client's own timeout ends the wait).
    const server = new URL(url);
    let cut = false;
    const links: Socket[] = [];
    const proxy = createServer((client) => {
      const upstream = connect(Number(server.port), server.hostname);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        from.on("data", (chunk) => cut || to.write(chunk));
        from.on("error", () => to.destroy());
        from.on("close", () => to.destroy());
        links.push(from);
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const overProxy = new URL(url);
    overProxy.hostname = "127.0.0.1";
    overProxy.port = String((proxy.address() as AddressInfo).port);
    await store.close();
    // Answers are given up on 5 s after the statement timeout.
    store = await PostgresJobStore.open(overProxy.toString(), { statementTimeoutMs: 300 });
    try {
      await store.insert(newJob("a"));
      cut = true;
      await expect(store.get("a")).rejects.toMatchObject({
        name: "StoreUnavailableError",
        reason: "unreachable",
      });
      cut = false;
      expect((await store.get("a"))?.id).toBe("a");
    } finally {
      await store.close();
      for (const link of links) link.destroy();
      proxy.close();
    }
  }, 20_000);

  it("writes buffered progress on its timer, to the running job's row only", async () => {
    await store.close();
    store = await PostgresJobStore.open(url, { progressFlushMs: 20 });
    await store.insert(newJob("a"));
    await store.insert(newJob("b"));
    await store.start("a");
    const progress = { progress: 0.5, step: 5, total: 10, info: "half", phase: "sampling" };
    store.setProgress("a", progress);
    store.setProgress("b", progress); // not running: never written
    await vi.waitFor(
      async () => {
        const rows = await query<{ id: string; progress: unknown }>(
          url,
          "SELECT id, progress FROM jobs ORDER BY id",
        );
        expect(rows).toEqual([
          { id: "a", progress },
          { id: "b", progress: { progress: 0, step: 0, total: 0, info: "", phase: null } },
        ]);
      },
      { timeout: 5000, interval: 50 },
    );
  });

  it("lets one of two replicas claim an idempotency key, and takes over an expired one", async () => {
    const other = await PostgresJobStore.open(url);
    try {
      const claim = { keyDigest: "digest-1", bodyHash: "body-1", expiresAt: Date.now() + 60_000 };
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) =>
          (index % 2 === 0 ? store : other).insert(newJob(`j${index}`, { idempotency: claim })),
        ),
      );
      const made = outcomes.filter((outcome) => outcome.status === "fulfilled");
      expect(made).toHaveLength(1);
      const winner = (made[0] as PromiseFulfilledResult<{ id: string }>).value.id;
      for (const outcome of outcomes) {
        if (outcome.status === "fulfilled") continue;
        expect(outcome.reason).toBeInstanceOf(IdempotencyKeyTakenError);
        expect(outcome.reason).toMatchObject({ existing: { jobId: winner, bodyHash: "body-1" } });
      }
      expect((await store.list({ limit: 10 })).jobs.map((job) => job.id)).toEqual([winner]);
      expect(await other.idempotentSubmission("digest-1")).toEqual({
        jobId: winner,
        bodyHash: "body-1",
      });

      await query(url, "UPDATE idempotency_keys SET expires_at = 1");
      expect(await store.idempotentSubmission("digest-1")).toBeUndefined();
      const again = { ...claim, bodyHash: "body-2" };
      await other.insert(newJob("later", { idempotency: again }));
      expect(await store.idempotentSubmission("digest-1")).toEqual({
        jobId: "later",
        bodyHash: "body-2",
      });
    } finally {
      await other.close();
    }
  });

  it("keeps webhook messages and their attempts; one replica's sender takes a message", async () => {
    const { deliveries } = store;
    const replica = await PostgresJobStore.open(url);
    const other = replica.deliveries;
    await store.insert(
      newJob("a", { data: { ...storedImageJob("x").data, webhook: "http://127.0.0.1:9/hook" } }),
    );
    await store.insert(newJob("quiet"));
    await store.cancel("a");
    await store.cancel("quiet");
    expect(await deliveries.unannounced("2000-01-01T00:00:00.000Z")).toEqual([
      { id: "a", status: "cancelled" },
    ]);
    const message = {
      id: "msg-1",
      jobId: "a",
      event: "cancelled",
      dedupeKey: "a:cancelled",
      url: "http://127.0.0.1:9/hook",
      payload: "{}",
      createdAt: 1000,
      giveUpAt: 9000,
    };
    expect(await deliveries.add(message)).toBe(true);
    expect(await deliveries.add({ ...message, id: "msg-2" })).toBe(false); // same dedupe key
    expect(await deliveries.unannounced("2000-01-01T00:00:00.000Z")).toEqual([]);
    expect(await deliveries.nextDue()).toBe(1000);
    expect((await deliveries.due(999, 10)).map((d) => d.id)).toEqual([]);
    expect(await deliveries.due(1000, 10)).toMatchObject([{ id: "msg-1", nextAttemptAt: 1000 }]);
    // Taken: another replica's sender does not get it while this one sends it.
    expect(await other.due(2000, 10)).toEqual([]);
    expect(await deliveries.nextDue()).toBeGreaterThan(1000 + 5 * 60_000);
    const attempt = { attempt: 1, at: 1000, durationMs: 5, statusCode: 500, error: null };
    await deliveries.record("msg-1", attempt, { status: "pending", nextAttemptAt: 2000 });
    await deliveries.record(
      "msg-1",
      { ...attempt, attempt: 2, at: 2000, statusCode: 204 },
      {
        status: "delivered",
      },
    );
    // A settled message takes no further attempt.
    await deliveries.record("msg-1", { ...attempt, attempt: 3 }, { status: "failed" });
    const [delivered] = await deliveries.ofJob("a");
    expect(delivered).toMatchObject({ id: "msg-1", status: "delivered", attempts: 2 });
    expect(delivered?.log.map((entry) => entry.statusCode)).toEqual([500, 204]);
    expect(await deliveries.nextDue()).toBeUndefined();
    // A replica that stops gracefully gives back what it took and did not send.
    await other.add({ ...message, id: "msg-b", dedupeKey: null, createdAt: 3000 });
    expect((await other.due(3000, 10)).map((d) => d.id)).toEqual(["msg-b"]);
    expect(await deliveries.due(4000, 10)).toEqual([]);
    await replica.close();
    expect((await deliveries.due(Date.now(), 10)).map((d) => d.id)).toEqual(["msg-b"]);

    await store.remove(["a"]);
    expect(await deliveries.ofJob("a")).toEqual([]);
  });
});
