import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parsePlan } from "../src/store/columns.js";
import { JobDatabaseError, StoreUnavailableError } from "../src/store/errors.js";
import { MIGRATIONS, SchemaTooNewError } from "../src/store/migrations.js";
import { InvalidCursorError, SqliteJobStore, type StoreLog } from "../src/store/sqlite.js";
import { PostgresJobStore } from "../src/store/postgres.js";
import type {
  BatchItemState,
  JobProgress,
  JobQuery,
  JobRecord,
  JobStore,
  NewJob,
} from "../src/store/types.js";
import { canMountTmpfs, fillDisk, mountTmpfs, unmount } from "./helpers/disk.js";
import { makeTempDir } from "./helpers/engine.js";
import { storedImageJob, storedImageRecord } from "./helpers/plans.js";
import { usePostgres } from "./helpers/postgres.js";

/** A store as the contract tests use it: any backend, its progress buffer flushable. */
type ContractStore = JobStore & { flushProgress(): number | Promise<number> };

interface Backend {
  name: string;
  /** Where a new store lives: an in-memory one, unless it must open again. */
  freshPlace(reopenable: boolean): Promise<string>;
  open(place: string): Promise<ContractStore>;
}

const postgres = usePostgres();

const BACKENDS: Backend[] = [
  {
    name: "SQLite",
    freshPlace: (reopenable) =>
      Promise.resolve(reopenable ? join(makeTempDir("store-contract"), "jobs.db") : ":memory:"),
    open: (place) => Promise.resolve(SqliteJobStore.open(place)),
  },
  {
    name: "PostgreSQL",
    freshPlace: () => postgres.freshDatabase(),
    open: (place) => PostgresJobStore.open(place),
  },
];

function newJob(id: string, fields: Partial<NewJob> = {}): NewJob {
  return { ...storedImageRecord(id, `prompt of ${id}`), ...fields };
}

function batchItem(index: number, fields: Partial<BatchItemState> = {}): BatchItemState {
  return {
    index,
    prompt: `item ${index}`,
    seed: index,
    status: "pending",
    key: null,
    error: null,
    ...fields,
  };
}

function progressAt(step: number): JobProgress {
  return { progress: step / 10, step, total: 10, info: `step ${step}`, phase: "sampling" };
}

async function insertMany(store: JobStore, count: number, fields: Partial<NewJob> = {}) {
  const ids = Array.from(
    { length: count },
    (_, index) => `job-${String(index + 1).padStart(5, "0")}`,
  );
  for (const id of ids) await store.insert(newJob(id, fields));
  return ids;
}

async function runningJob(store: JobStore, id: string, fields: Partial<NewJob> = {}) {
  await store.insert(newJob(id, fields));
  expect(await store.start(id)).toBe(true);
}

async function required(store: JobStore, id: string): Promise<JobRecord> {
  const record = await store.get(id);
  if (record === undefined) throw new Error(`no job ${id}`);
  return record;
}

const ISO_UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The error opening `path` throws, if it throws one. */
function openError(path: string): Error | undefined {
  try {
    void SqliteJobStore.open(path).close();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

interface LoggedLine {
  fields: Record<string, unknown>;
  message: string;
}

/** A store log that keeps what it is told. */
function recordingLog(): StoreLog & { warnings: LoggedLine[]; errors: LoggedLine[] } {
  const warnings: LoggedLine[] = [];
  const errors: LoggedLine[] = [];
  return {
    warnings,
    errors,
    warn: (fields, message) =>
      warnings.push({ fields: fields as Record<string, unknown>, message }),
    error: (fields, message) => errors.push({ fields: fields as Record<string, unknown>, message }),
  };
}

describe.each(BACKENDS)("the $name job store", (backend) => {
  let store: ContractStore;
  beforeEach(async () => {
    store = await backend.open(await backend.freshPlace(false));
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
  });

  it("returns an inserted job with its JSON fields intact", async () => {
    const job = newJob("a", {
      legacyId: "0123abcd",
      type: "batch_image",
      priority: 3,
      apiKeyHash: "hash-1",
      batchItems: [batchItem(0), batchItem(1)],
    });
    const inserted = await store.insert(job);
    expect(inserted).toEqual({
      ...job,
      status: "pending",
      createdAt: expect.stringMatching(ISO_UTC_MS) as unknown,
      startedAt: null,
      completedAt: null,
      error: null,
      result: null,
      attempts: 0,
      progress: { progress: 0, step: 0, total: 0, info: "", phase: null },
    });
    expect(await store.get("a")).toEqual(inserted);
    expect(await store.get("missing")).toBeUndefined();
  });

  it("rejects a second job with the same id or legacy id", async () => {
    await store.insert(newJob("a", { legacyId: "0000aaaa" }));
    await expect(store.insert(newJob("a"))).rejects.toThrow(/unique/i);
    await expect(store.insert(newJob("b", { legacyId: "0000aaaa" }))).rejects.toThrow(/unique/i);
  });

  it("finds a job by its legacy id", async () => {
    await store.insert(newJob("a", { legacyId: "deadbeef" }));
    await store.insert(newJob("b"));
    expect((await store.getByLegacyId("deadbeef"))?.id).toBe("a");
    expect(await store.getByLegacyId("feedface")).toBeUndefined();
  });

  it("pages newest first with a cursor", async () => {
    const ids = await insertMany(store, 7);
    const newestFirst = [...ids].reverse();
    const first = await store.list({ limit: 3 });
    expect(first.jobs.map((job) => job.id)).toEqual(newestFirst.slice(0, 3));
    expect(first.nextCursor).not.toBeNull();
    const second = await store.list({ limit: 3, cursor: first.nextCursor ?? "" });
    expect(second.jobs.map((job) => job.id)).toEqual(newestFirst.slice(3, 6));
    const third = await store.list({ limit: 3, cursor: second.nextCursor ?? "" });
    expect(third.jobs.map((job) => job.id)).toEqual(newestFirst.slice(6));
    expect(third.nextCursor).toBeNull();
  });

  it("ends exactly at a full last page without an empty extra page", async () => {
    await insertMany(store, 4);
    const first = await store.list({ limit: 2 });
    const second = await store.list({ limit: 2, cursor: first.nextCursor ?? "" });
    expect(second.jobs).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it("keeps a cursor valid when newer jobs arrive", async () => {
    const ids = await insertMany(store, 4);
    const first = await store.list({ limit: 2 });
    await store.insert(newJob("newer"));
    const second = await store.list({ limit: 2, cursor: first.nextCursor ?? "" });
    expect(second.jobs.map((job) => job.id)).toEqual([ids[1], ids[0]]);
  });

  it("filters by status and type, together and across pages", async () => {
    for (let index = 0; index < 12; index++) {
      await store.insert(newJob(`j${index}`, { type: index % 2 === 0 ? "video" : "image" }));
      if (index % 3 === 0) await store.cancel(`j${index}`);
    }
    const ids = async (query: JobQuery) => (await store.list(query)).jobs.map((job) => job.id);
    expect(await ids({ limit: 50, status: "cancelled" })).toEqual(["j9", "j6", "j3", "j0"]);
    expect(await ids({ limit: 50, type: "video" })).toEqual(["j10", "j8", "j6", "j4", "j2", "j0"]);
    expect(await ids({ limit: 50, type: "video", status: "cancelled" })).toEqual(["j6", "j0"]);
    const first = await store.list({ limit: 2, status: "pending" });
    expect(first.jobs.map((job) => job.id)).toEqual(["j11", "j10"]);
    const rest = await ids({ limit: 50, status: "pending", cursor: first.nextCursor ?? "" });
    expect(rest).toEqual(["j8", "j7", "j5", "j4", "j2", "j1"]);
  });

  it("filters by API key hash, null meaning the jobs submitted without a key", async () => {
    const keys = ["k1", "k2", null];
    for (let index = 0; index < 9; index++) {
      await store.insert(newJob(`j${index}`, { apiKeyHash: keys[index % 3] ?? null }));
    }
    const ids = async (query: JobQuery) => (await store.list(query)).jobs.map((job) => job.id);
    expect(await ids({ limit: 50, apiKeyHash: "k1" })).toEqual(["j6", "j3", "j0"]);
    expect(await ids({ limit: 50, apiKeyHash: null })).toEqual(["j8", "j5", "j2"]);
    expect(await ids({ limit: 50 })).toHaveLength(9);
    const first = await store.list({ limit: 2, apiKeyHash: "k2" });
    expect(first.jobs.map((job) => job.id)).toEqual(["j7", "j4"]);
    expect(await ids({ limit: 2, apiKeyHash: "k2", cursor: first.nextCursor ?? "" })).toEqual([
      "j1",
    ]);
  });

  it("filters by creation time, since inclusive and until exclusive", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.parse("2025-03-01T10:00:00.000Z");
    for (let minute = 0; minute < 5; minute++) {
      vi.setSystemTime(start + minute * 60_000);
      await store.insert(newJob(`m${minute}`));
    }
    const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
    const ids = async (query: JobQuery) => (await store.list(query)).jobs.map((job) => job.id);
    expect(await ids({ limit: 50, since: at(1), until: at(3) })).toEqual(["m2", "m1"]);
    expect(await ids({ limit: 50, since: at(4) })).toEqual(["m4"]);
    expect(await ids({ limit: 50, until: at(1) })).toEqual(["m0"]);
    const first = await store.list({ limit: 1, since: at(2) });
    expect(await ids({ limit: 50, since: at(2), cursor: first.nextCursor ?? "" })).toEqual([
      "m3",
      "m2",
    ]);
  });

  it("finds prompts containing a text literally, ASCII letters in either case", async () => {
    const prompts: [string, string][] = [
      ["plain", "A Cat on a Mat"],
      ["percent", "100% cat"],
      ["underscore", "snake_case cat"],
      ["accent", "ÉCOLE"],
      ["other", "a dog"],
    ];
    for (const [id, prompt] of prompts) await store.insert(newJob(id, storedImageJob(prompt)));
    const batchPrompts = { ...storedImageJob("batch"), type: "batch_image" as const };
    batchPrompts.data = { ...batchPrompts.data, prompts: ["first", "the CAT of the batch"] };
    await store.insert(newJob("batch", batchPrompts));
    const ids = async (text: string) =>
      (await store.list({ limit: 50, promptContains: text })).jobs.map((job) => job.id).sort();
    expect(await ids("cat")).toEqual(["batch", "percent", "plain", "underscore"]);
    expect(await ids("% c")).toEqual(["percent"]);
    expect(await ids("e_c")).toEqual(["underscore"]);
    expect(await ids("_")).toEqual(["underscore"]);
    // Only ASCII letters fold: "école" does not find "ÉCOLE".
    expect(await ids("cole")).toEqual(["accent"]);
    expect(await ids("école")).toEqual([]);
    expect(await ids("nothing like it")).toEqual([]);
  });

  it("finds jobs by id prefix, in id order, of one key when asked", async () => {
    for (const [id, key] of [
      ["abc1", "k1"],
      ["abc0", null],
      ["abd0", "k1"],
      ["ab~x", "k1"],
      ["zzz", "k1"],
    ] as const) {
      await store.insert(newJob(id, { apiKeyHash: key }));
    }
    const ids = async (prefix: string, limit: number, key?: string | null) =>
      (await store.byIdPrefix(prefix, limit, key)).map((job) => job.id);
    expect(await ids("abc", 10)).toEqual(["abc0", "abc1"]);
    expect(await ids("ab", 2)).toEqual(["abc0", "abc1"]);
    expect(await ids("abc", 10, "k1")).toEqual(["abc1"]);
    expect(await ids("abc", 10, null)).toEqual(["abc0"]);
    expect(await ids("q", 10)).toEqual([]);
  });

  it("rejects a cursor it did not hand out", async () => {
    await expect(store.list({ limit: 5, cursor: "not a cursor" })).rejects.toThrow(
      InvalidCursorError,
    );
    const negative = Buffer.from("-4").toString("base64url");
    await expect(store.list({ limit: 5, cursor: negative })).rejects.toThrow(InvalidCursorError);
  });

  it("starts a pending job once and counts the attempt", async () => {
    await store.insert(newJob("a"));
    expect(await store.start("a")).toBe(true);
    expect(await store.start("a")).toBe(false);
    expect(await store.start("missing")).toBe(false);
    const started = await required(store, "a");
    expect(started.status).toBe("processing");
    expect(started.attempts).toBe(1);
    expect(started.startedAt).toMatch(ISO_UTC_MS);
  });

  it("completes a processing job and keeps it final", async () => {
    await runningJob(store, "a");
    const result = {
      outputs: [{ key: "a/0.png", kind: "image" as const, seed: 1, width: 8, height: 8 }],
      metadata: { seeds: [1] },
    };
    expect(await store.complete("a", result)).toBe(true);
    const done = await required(store, "a");
    expect(done).toMatchObject({ status: "completed", result, error: null });
    expect(done.completedAt).toMatch(ISO_UTC_MS);
    expect(await store.fail("a", { code: "late", message: "too late" })).toBe(false);
    expect(await store.cancel("a")).toBe(false);
    expect(await store.requeue("a", { code: "late", message: "too late" })).toBe(false);
    expect(await store.complete("a", { outputs: [], metadata: {} })).toBe(false);
    expect(await required(store, "a")).toEqual(done);
  });

  it("keeps a cancelled job cancelled when its result arrives", async () => {
    await runningJob(store, "a");
    expect(await store.cancel("a")).toBe(true);
    expect(await store.complete("a", { outputs: [], metadata: {} })).toBe(false);
    expect(await store.fail("a", { code: "x", message: "y" })).toBe(false);
    expect(await required(store, "a")).toMatchObject({ status: "cancelled", result: null });
  });

  it("completes only processing jobs", async () => {
    await store.insert(newJob("a"));
    expect(await store.complete("a", { outputs: [], metadata: {} })).toBe(false);
    expect((await required(store, "a")).status).toBe("pending");
  });

  it("fails and cancels pending jobs too", async () => {
    await store.insert(newJob("a"));
    await store.insert(newJob("b"));
    const error = { code: "invalid_input", message: "the image could not be read" };
    expect(await store.fail("a", error)).toBe(true);
    expect(await store.cancel("b")).toBe(true);
    expect(await required(store, "a")).toMatchObject({ status: "failed", error });
    expect((await required(store, "b")).completedAt).toMatch(ISO_UTC_MS);
    expect(await store.cancel("a")).toBe(false);
  });

  it("requeues only processing jobs, keeping the reason and counting attempts", async () => {
    await runningJob(store, "a");
    store.setProgress("a", progressAt(4));
    const reason = { code: "engine_died", message: "the engine exited with code 1" };
    expect(await store.requeue("a", reason)).toBe(true);
    expect(await store.requeue("a", reason)).toBe(false);
    const requeued = await required(store, "a");
    expect(requeued).toMatchObject({
      status: "pending",
      error: reason,
      attempts: 1,
      startedAt: null,
    });
    expect(requeued.progress.step).toBe(0);
    expect(await store.start("a")).toBe(true);
    expect((await required(store, "a")).attempts).toBe(2);
    expect(await store.complete("a", { outputs: [], metadata: {} })).toBe(true);
    expect((await required(store, "a")).error).toBeNull();
  });

  it("takes a yielded video back to pending with its attempt given back and its progress", async () => {
    await runningJob(store, "v", { type: "video" });
    const sections = { total: 4, done: 2 };
    store.setProgress("v", { ...progressAt(6), sections });
    expect(await store.yieldBack("v")).toBe(true);
    expect(await store.yieldBack("v")).toBe(false); // no longer processing
    const yielded = await required(store, "v");
    expect(yielded).toMatchObject({ status: "pending", attempts: 0, startedAt: null, error: null });
    expect(yielded.progress).toMatchObject({ step: 6, sections });
    expect(await store.start("v")).toBe(true);
    expect((await required(store, "v")).attempts).toBe(1);
  });

  it("lists pending jobs oldest first", async () => {
    await insertMany(store, 4);
    await store.start("job-00002");
    expect((await store.pending()).map((job) => job.id)).toEqual([
      "job-00001",
      "job-00003",
      "job-00004",
    ]);
  });

  it("recovers interrupted jobs: requeues with attempts left, fails the rest", async () => {
    await runningJob(store, "once");
    await runningJob(store, "thrice");
    await store.requeue("thrice", { code: "engine_died", message: "x" });
    await store.start("thrice");
    await store.requeue("thrice", { code: "engine_died", message: "x" });
    await store.start("thrice");
    await store.insert(newJob("waiting"));
    await runningJob(store, "finished");
    await store.complete("finished", { outputs: [], metadata: {} });

    const report = await store.recoverInterrupted(3);
    expect(report).toEqual({ requeued: ["once"], failed: ["thrice"] });
    expect(await required(store, "once")).toMatchObject({ status: "pending", attempts: 1 });
    const failed = await required(store, "thrice");
    expect(failed).toMatchObject({
      status: "failed",
      attempts: 3,
      error: {
        code: "interrupted",
        message: "the server stopped while the job ran, 3 times; giving up",
      },
    });
    expect(failed.completedAt).toMatch(ISO_UTC_MS);
    expect((await required(store, "waiting")).status).toBe("pending");
    expect((await required(store, "finished")).status).toBe("completed");
    expect(await store.recoverInterrupted(3)).toEqual({ requeued: [], failed: [] });
  });

  it("requeues the jobs a graceful stop interrupted, giving their attempt back", async () => {
    await runningJob(store, "batch", {
      type: "batch_image",
      batchItems: [batchItem(0), batchItem(1)],
    });
    const done = batchItem(0, { status: "completed", key: "batch/0.png" });
    expect(await store.setBatchItem("batch", done)).toBe(true);
    await store.insert(newJob("waiting"));

    expect(await store.requeueStopped()).toEqual(["batch"]);
    const batch = await required(store, "batch");
    expect(batch).toMatchObject({ status: "pending", attempts: 0, error: { code: "interrupted" } });
    expect(batch.batchItems).toEqual([done, batchItem(1)]);
    expect(await store.recoverInterrupted(1)).toEqual({ requeued: [], failed: [] });
  });

  it("shows progress at once and writes it with the next flush", async () => {
    await runningJob(store, "a");
    store.setProgress("a", progressAt(3));
    expect((await required(store, "a")).progress).toEqual(progressAt(3));
    store.setProgress("a", progressAt(4));
    expect(await store.flushProgress()).toBe(1);
    expect(await store.flushProgress()).toBe(0);
    expect((await required(store, "a")).progress).toEqual(progressAt(4));
  });

  it("replaces batch items by index, written at once rather than buffered", async () => {
    await runningJob(store, "batch", {
      type: "batch_image",
      batchItems: [batchItem(0), batchItem(1), batchItem(2)],
    });
    const done = batchItem(1, { status: "completed", key: "batch/1.png" });
    const failed = batchItem(2, { status: "failed", error: "out of memory" });
    expect(await store.setBatchItem("batch", done)).toBe(true);
    expect(await store.setBatchItem("batch", failed)).toBe(true);
    expect(await store.flushProgress()).toBe(0);
    expect((await required(store, "batch")).batchItems).toEqual([batchItem(0), done, failed]);
    await store.complete("batch", { outputs: [], metadata: {} });
    expect((await required(store, "batch")).batchItems).toEqual([batchItem(0), done, failed]);
  });

  it("ignores progress for jobs that are not running", async () => {
    await store.insert(newJob("image"));
    await runningJob(store, "finished");
    await store.complete("finished", { outputs: [], metadata: {} });
    store.setProgress("finished", progressAt(9));
    store.setProgress("image", progressAt(9));
    expect(await store.setBatchItem("finished", batchItem(0))).toBe(false);
    await runningJob(store, "not-a-batch");
    expect(await store.setBatchItem("not-a-batch", batchItem(0))).toBe(false);
    expect((await required(store, "finished")).progress.step).toBe(0);
    expect((await required(store, "image")).progress.step).toBe(0);
    expect((await required(store, "not-a-batch")).batchItems).toBeNull();
    expect(await store.flushProgress()).toBe(0);
  });

  it("removes jobs", async () => {
    await insertMany(store, 3);
    await store.remove(["job-00001", "job-00003", "missing"]);
    expect((await store.list({ limit: 10 })).jobs.map((job) => job.id)).toEqual(["job-00002"]);
    await store.remove([]);
  });

  it("finds expired jobs past the newest terminal ones, oldest first", async () => {
    const ids = await insertMany(store, 6);
    for (const id of ids.slice(0, 5)) await store.cancel(id);
    const expired = await store.expired(2, 24 * 3600_000);
    expect(expired.map((job) => job.id)).toEqual(ids.slice(0, 3));
    expect(await store.expired(5, 24 * 3600_000)).toEqual([]);
    expect(await store.expired(0, 24 * 3600_000)).toHaveLength(5);
  });

  it("ranks expired jobs by when they finished, not when they were submitted", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.parse("2025-01-01T00:00:00.000Z");
    vi.setSystemTime(start);
    const ids = await insertMany(store, 4);
    // The first submitted (a long video, say) finishes last.
    for (const [minute, id] of [...ids.slice(1), ...ids.slice(0, 1)].entries()) {
      vi.setSystemTime(start + minute * 60_000);
      await store.cancel(id);
    }
    const expired = await store.expired(2, 24 * 3600_000);
    expect(expired.map((job) => job.id)).toEqual([ids[1], ids[2]]);
  });

  it("finds expired jobs finished longer ago than the age limit", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const hour = 3600_000;
    const start = Date.parse("2025-01-01T00:00:00.000Z");
    vi.setSystemTime(start);
    await store.insert(newJob("old"));
    await store.insert(newJob("recent"));
    await store.insert(newJob("still-pending"));
    await store.cancel("old");
    vi.setSystemTime(start + 5 * hour);
    await store.cancel("recent");
    vi.setSystemTime(start + 6 * hour);
    expect((await store.expired(100, 2 * hour)).map((job) => job.id)).toEqual(["old"]);
    expect((await store.expired(100, 10 * hour)).map((job) => job.id)).toEqual([]);
    vi.setSystemTime(start + 100 * hour);
    expect((await store.expired(100, 2 * hour)).map((job) => job.id)).toEqual(["old", "recent"]);
  });

  it("inserts and pages through 10k jobs", async () => {
    await insertMany(store, 10_000, { type: "video" });
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = await store.list({ limit: 200, type: "video", cursor });
      seen += page.jobs.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toBe(10_000);
    expect(await store.pending()).toHaveLength(10_000);
  });

  describe("reopened", () => {
    let place: string;
    beforeEach(async () => {
      place = await backend.freshPlace(true);
    });

    it("keeps every record across close and reopen", async () => {
      const first = await backend.open(place);
      await first.insert(newJob("a", { legacyId: "abcd0123", apiKeyHash: "k" }));
      await runningJob(first, "b", { type: "batch_image", batchItems: [batchItem(0)] });
      await runningJob(first, "c");
      await first.complete("c", { outputs: [], metadata: { sections: 2 } });
      // Still buffered when the store closes: close() writes it.
      first.setProgress("b", progressAt(7));
      await first.setBatchItem("b", batchItem(0, { status: "completed", key: "b/0.png" }));
      const before = (await first.list({ limit: 10 })).jobs;
      await first.close();

      const second = await backend.open(place);
      expect((await second.list({ limit: 10 })).jobs).toEqual(before);
      expect((await second.get("b"))?.progress).toEqual(progressAt(7));
      expect((await second.getByLegacyId("abcd0123"))?.id).toBe("a");
      await second.insert(newJob("d"));
      expect((await second.list({ limit: 1 })).jobs[0]?.id).toBe("d");
      await second.close();
    });

    it("hands out event ids in blocks that keep growing across reopen", async () => {
      const first = await backend.open(place);
      const a = await first.reserveEventIds(100);
      const b = await first.reserveEventIds(5);
      expect(b).toBe(a + 100);
      await first.close();
      const second = await backend.open(place);
      expect(await second.reserveEventIds(1)).toBe(b + 5);
      await second.close();
    });

    it("tells which job ids have no record", async () => {
      const opened = await backend.open(place);
      await insertMany(opened, 2);
      expect(await opened.withoutRecord(["job-00001", "gone", "job-00002", "other"])).toEqual([
        "gone",
        "other",
      ]);
      expect(await opened.withoutRecord([])).toEqual([]);
      await opened.close();
    });
  });
  describe("queue control", () => {
    let place: string;
    let queueStore: ContractStore;
    beforeEach(async () => {
      place = await backend.freshPlace(true);
      queueStore = await backend.open(place);
    });
    afterEach(async () => {
      await queueStore.close();
    });

    it("keeps the queue's pause across a reopening", async () => {
      expect(await queueStore.queuePaused()).toBe(false);
      await queueStore.setQueuePaused(true);
      await queueStore.close();
      queueStore = await backend.open(place);
      expect(await queueStore.queuePaused()).toBe(true);
      await queueStore.setQueuePaused(false);
      expect(await queueStore.queuePaused()).toBe(false);
    });

    it("changes the priority of a pending job only", async () => {
      await queueStore.insert(newJob("waiting"));
      expect(await queueStore.setPriority("waiting", 7)).toBe(true);
      expect((await required(queueStore, "waiting")).priority).toBe(7);
      await runningJob(queueStore, "running");
      expect(await queueStore.setPriority("running", 7)).toBe(false);
      expect(await queueStore.setPriority("missing", 7)).toBe(false);
    });

    it("removes a finished job's record only", async () => {
      await queueStore.insert(newJob("waiting"));
      expect(await queueStore.removeFinished("waiting")).toBe(false);
      await queueStore.cancel("waiting");
      expect(await queueStore.removeFinished("waiting")).toBe(true);
      expect(await queueStore.get("waiting")).toBeUndefined();
    });
  });
});

describe("SqliteJobStore on disk", () => {
  let directory: string;
  let path: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "job-store-"));
    path = join(directory, "jobs.db");
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  /** A second connection, to see what is on disk rather than in the store's memory. */
  function inspect<T>(use: (db: Database.Database) => T): T {
    const db = new Database(path);
    try {
      return use(db);
    } finally {
      db.close();
    }
  }

  function storedProgress(): Map<string, string> {
    return inspect((db) => {
      const rows = db
        .prepare<[], { id: string; progress: string }>("SELECT id, progress FROM jobs")
        .all();
      return new Map(rows.map((row) => [row.id, row.progress]));
    });
  }

  it("uses WAL and the current schema version", async () => {
    const store = SqliteJobStore.open(path);
    await store.close();
    expect(inspect((db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
    expect(inspect((db) => db.pragma("user_version", { simple: true }))).toBe(MIGRATIONS.length);
  });

  it("writes progress on its timer", async () => {
    const store = SqliteJobStore.open(path, { progressFlushMs: 10 });
    await runningJob(store, "a");
    store.setProgress("a", progressAt(5));
    await vi.waitFor(() => {
      expect(storedProgress().get("a")).toBe(JSON.stringify(progressAt(5)));
    });
    await store.close();
  });

  it("writes a progress tick to its own row only", async () => {
    const store = SqliteJobStore.open(path, { progressFlushMs: 60_000 });
    const ids = await insertMany(store, 100);
    for (const id of ids) await store.start(id);
    // Every row the store's connection updates from here on is logged.
    inspect((db) => {
      db.exec(`CREATE TABLE updated (id TEXT);
               CREATE TRIGGER log_update AFTER UPDATE ON jobs
               BEGIN INSERT INTO updated VALUES (new.id); END;`);
    });

    store.setProgress("job-00050", progressAt(1));
    store.setProgress("job-00050", progressAt(2));
    expect(store.flushProgress()).toBe(1);
    const updated = inspect((db) => db.prepare("SELECT id FROM updated").pluck().all());
    expect(updated).toEqual(["job-00050"]);
    expect(storedProgress().get("job-00050")).toBe(JSON.stringify(progressAt(2)));
    await store.close();
  });

  it("refuses a database from a newer schema, naming the file", () => {
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(openError(path)).toBeInstanceOf(JobDatabaseError);
    expect(openError(path)?.cause).toBeInstanceOf(SchemaTooNewError);
    expect(openError(path)?.message).toContain(path);
  });

  it("refuses a file that is not a database, or is cut short, naming it and what is wrong", async () => {
    writeFileSync(path, "these are notes, not a job database ".repeat(40));
    expect(openError(path)?.message).toMatch(
      new RegExp(`^the job database ${path} cannot be used: file is not a database`),
    );

    const whole = join(directory, "whole.db");
    const store = SqliteJobStore.open(whole);
    await insertMany(store, 300);
    await store.close(); // checkpoints the WAL into the file
    const bytes = readFileSync(whole);
    const cut = join(directory, "cut.db");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(openError(cut)?.message).toMatch(
      new RegExp(`^the job database ${cut} cannot be used: .*malformed.*move it aside`),
    );
  });

  it("refuses a database whose integrity check fails, naming the file and the findings", async () => {
    const store = SqliteJobStore.open(path);
    await insertMany(store, 300);
    await store.close();
    // A page in the middle of the jobs table overwritten with garbage.
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0x41, pageSize * 3, pageSize * 4);
    writeFileSync(path, bytes);
    expect(openError(path)?.message).toMatch(
      new RegExp(`^the job database ${path} cannot be used: its integrity check failed: .*page`),
    );
  });

  it("opens an empty (0-byte) file as an empty database", async () => {
    writeFileSync(path, "");
    const store = SqliteJobStore.open(path);
    expect((await store.list({ limit: 5 })).jobs).toEqual([]);
    await store.close();
  });

  it("records a batch item on disk before it resolves", async () => {
    const store = SqliteJobStore.open(path, { progressFlushMs: 60_000 });
    await runningJob(store, "b", { type: "batch_image", batchItems: [batchItem(0), batchItem(1)] });
    const done = batchItem(1, { status: "completed", key: "b/1.png" });
    await store.setBatchItem("b", done);
    const onDisk = inspect((db) =>
      db.prepare("SELECT batch_items FROM jobs WHERE id = 'b'").pluck().get(),
    );
    expect(JSON.parse(onDisk as string)).toEqual([batchItem(0), done]);
    await store.close();
  });

  it("sets aside rows that cannot be read, reporting the job and the column", async () => {
    const first = SqliteJobStore.open(path);
    await runningJob(first, "finished");
    await first.complete("finished", { outputs: [], metadata: {} });
    await first.insert(newJob("waiting"));
    await first.insert(newJob("wrong-kind"));
    await insertMany(first, 3);
    await first.close();
    inspect((db) => {
      // A torn write, a plan cut short, a column of the wrong kind.
      db.exec(`UPDATE jobs SET data = substr(data, 1, 12) WHERE id = 'finished';
               UPDATE jobs SET plan = substr(plan, 1, 20) WHERE id = 'waiting';
               UPDATE jobs SET progress = '[1, 2]' WHERE id = 'wrong-kind';`);
    });

    const log = recordingLog();
    const store = SqliteJobStore.open(path, { log });
    expect(log.errors.map(({ fields }) => [fields.jobId, fields.field])).toEqual([
      ["finished", "data"],
      ["waiting", "plan"],
      ["wrong-kind", "progress"],
    ]);
    expect(log.errors[0]?.fields).toMatchObject({ database: path });
    expect(log.errors[1]?.fields.problem).toMatch(/JSON/);
    const healthy = ["job-00003", "job-00002", "job-00001"];
    expect((await store.list({ limit: 10 })).jobs.map((job) => job.id)).toEqual(healthy);
    expect((await store.pending()).map((job) => job.id)).toEqual([...healthy].reverse());
    expect(await store.get("finished")).toBeUndefined();
    const setAside = inspect((db) =>
      db
        .prepare<[], { id: string; problem: string; row: string }>("SELECT * FROM damaged_jobs")
        .all(),
    );
    expect(setAside.map((row) => row.id)).toEqual(["finished", "waiting", "wrong-kind"]);
    expect(JSON.parse(setAside[0]?.row ?? "{}")).toMatchObject({
      id: "finished",
      status: "completed",
    });
    await store.close();
  });

  it("sets aside a row damaged while it serves, and answers for the others", async () => {
    const log = recordingLog();
    const store = SqliteJobStore.open(path, { log });
    await insertMany(store, 3);
    inspect((db) => db.exec("UPDATE jobs SET data = '{' WHERE id = 'job-00002'"));
    expect((await store.list({ limit: 10 })).jobs.map((job) => job.id)).toEqual([
      "job-00003",
      "job-00001",
    ]);
    expect(log.errors.map(({ fields }) => fields.jobId)).toEqual(["job-00002"]);
    expect(await store.get("job-00002")).toBeUndefined();
    await store.close();
  });

  it("waits out a lock held elsewhere without holding the event loop", async () => {
    const store = SqliteJobStore.open(path);
    await store.insert(newJob("a"));
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    setTimeout(() => other.exec("COMMIT"), 600);
    const started = performance.now();
    expect(await store.start("a")).toBe(true);
    clearInterval(ticker);
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
    // The loop ran all along: a blocking wait would have let hardly any tick through.
    expect(ticks).toBeGreaterThan(20);
    other.close();
    await store.close();
  });

  it("gives up on a lock held past its patience with StoreUnavailableError, writing nothing", async () => {
    const store = SqliteJobStore.open(path, { lockPatienceMs: 300 });
    await store.insert(newJob("a"));
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    const refused = await store.start("a").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(refused).toMatchObject({ reason: "busy" });
    await expect(store.insert(newJob("b"))).rejects.toMatchObject({ reason: "busy" });
    other.exec("COMMIT");
    other.close();
    expect(await store.get("b")).toBeUndefined();
    expect((await required(store, "a")).status).toBe("pending");
    expect(await store.start("a")).toBe(true);
    await store.close();
  });
});

describe("SqliteJobStore on a full disk", () => {
  // Decided when the tests are collected; mounted only while each test runs.
  const mounted = canMountTmpfs();
  let directory: string;
  beforeEach(() => {
    directory = makeTempDir("full-store");
    if (mounted) mountTmpfs(directory, 2);
  });
  afterEach(() => {
    if (mounted) unmount(directory);
  });

  it.runIf(mounted)(
    "refuses writes with StoreUnavailableError, stores nothing and keeps buffered progress",
    async () => {
      const store = SqliteJobStore.open(join(directory, "jobs.db"), { progressFlushMs: 60_000 });
      await runningJob(store, "a");
      store.setProgress("a", progressAt(6));
      const filler = fillDisk(directory);

      // A refused insert leaves no record behind: the caller must not announce the job.
      const refused = await store.insert(newJob("b")).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect(refused).toMatchObject({ reason: "full" });
      expect(await store.get("b")).toBeUndefined();
      // A refused transition keeps the progress it would have written.
      await expect(store.complete("a", { outputs: [], metadata: {} })).rejects.toMatchObject({
        reason: "full",
      });
      expect(await required(store, "a")).toMatchObject({
        status: "processing",
        progress: progressAt(6),
      });

      rmSync(filler);
      expect(await store.complete("a", { outputs: [], metadata: {} })).toBe(true);
      await store.insert(newJob("b"));
      await store.close();
      const reopened = SqliteJobStore.open(join(directory, "jobs.db"));
      // Completed from the kept progress: final, with its total of steps.
      expect((await required(reopened, "a")).progress).toEqual({
        progress: 1,
        step: 10,
        total: 10,
        info: "Finished",
        phase: "done",
      });
      expect((await required(reopened, "b")).status).toBe("pending");
      await reopened.close();
    },
  );
});

describe("plans stored by earlier versions", () => {
  it("read back in today's shape: use_teacache becomes the video's cache", () => {
    const stored = (useTeacache: boolean) =>
      JSON.stringify({ kind: "video", use_teacache: useTeacache, teacache_threshold: 0.15 });
    expect(parsePlan(stored(true))).toEqual({ kind: "video", cache: "teacache" });
    expect(parsePlan(stored(false))).toEqual({ kind: "video", cache: "none" });
    const current = { kind: "video", cache: "magcache" };
    expect(parsePlan(JSON.stringify(current))).toEqual(current);
  });
});
