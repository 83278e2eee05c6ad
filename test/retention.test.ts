// Output retention: finished jobs past the count or age limit lose their files and
// record; jobs that wait or run keep everything, however old; folders no record owns
// are reported and removed past the age limit.
import { existsSync } from "node:fs";
import { utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalArtifactStore } from "../src/artifacts/local.js";
import { loadConfig } from "../src/config.js";
import { OutputRetention, type RetentionOptions } from "../src/jobs/retention.js";
import { SqliteJobStore } from "../src/store/sqlite.js";
import type { JobStatus } from "../src/contract/requests.js";
import { storedImageJob } from "./helpers/plans.js";
import { makeTempDir, testLogger } from "./helpers/engine.js";

const HOUR = 3_600_000;
const START = Date.parse("2025-01-01T00:00:00.000Z");

let store: SqliteJobStore;
let artifacts: LocalArtifactStore;
let root: string;

beforeEach(() => {
  root = makeTempDir("retention");
  store = SqliteJobStore.open(join(root, "jobs.sqlite"));
  artifacts = new LocalArtifactStore(join(root, "jobs"));
});

afterEach(async () => {
  vi.useRealTimers();
  await store.close();
});

function retention(options: Partial<RetentionOptions> = {}): OutputRetention {
  return new OutputRetention({
    store,
    artifacts,
    logger: testLogger,
    maxCompletedJobs: 1000,
    maxAgeMs: 168 * HOUR,
    intervalMs: 300_000,
    ...options,
  });
}

/** A job in `status` with an input and an output file, as a real run leaves them. */
async function jobWithFiles(id: string, status: JobStatus): Promise<void> {
  await store.insert({
    id,
    legacyId: null,
    type: "image",
    ...storedImageJob(id),
    priority: 0,
    apiKeyHash: null,
    batchItems: null,
  });
  await artifacts.writeInput(id, "input.png", Buffer.from("input"));
  await writeFile(join(await artifacts.outputDir(id), "image.png"), "output");
  if (status === "pending") return;
  if (status === "cancelled") {
    await store.cancel(id);
    return;
  }
  await store.start(id);
  if (status === "completed") await store.complete(id, { outputs: [], metadata: {} });
  if (status === "failed") await store.fail(id, { code: "test", message: "failed on purpose" });
}

/** A job folder with an input file and no record, last changed `ageMs` ago. */
async function orphanedFolder(id: string, ageMs: number): Promise<void> {
  await artifacts.writeInput(id, "input.png", Buffer.from("input"));
  const then = (Date.now() - ageMs) / 1000;
  for (const dir of [join(root, "jobs", id, "inputs"), join(root, "jobs", id)]) {
    await utimes(dir, then, then);
  }
}

function filesOf(id: string): boolean {
  const output = artifacts.pathOf(`${id}/image.png`);
  return output !== undefined && existsSync(output) && existsSync(join(root, "jobs", id, "inputs"));
}

describe("output retention", () => {
  it("removes finished jobs past the age limit, never a waiting or running one", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(START);
    await jobWithFiles("running", "processing");
    await jobWithFiles("waiting", "pending");
    await jobWithFiles("done", "completed");
    await jobWithFiles("broken", "failed");
    await jobWithFiles("stopped", "cancelled");
    vi.setSystemTime(START + 100 * HOUR);
    await jobWithFiles("recent", "completed");

    // A week later the first five are all older than the limit.
    vi.setSystemTime(START + 200 * HOUR);
    const report = await retention().cleanup();

    expect(report.removed.sort()).toEqual(["broken", "done", "stopped"]);
    for (const id of ["done", "broken", "stopped"]) {
      expect(await store.get(id)).toBeUndefined();
      expect(existsSync(join(root, "jobs", id))).toBe(false);
    }
    for (const id of ["running", "waiting", "recent"]) {
      expect(await store.get(id), id).toBeDefined();
      expect(filesOf(id), id).toBe(true);
    }
    expect((await store.get("running"))?.status).toBe("processing");
  });

  it("keeps the newest MAX_COMPLETED_JOBS finished jobs; running ones do not count", async () => {
    await jobWithFiles("first", "completed");
    await jobWithFiles("running", "processing");
    await jobWithFiles("second", "failed");
    await jobWithFiles("third", "completed");
    await jobWithFiles("fourth", "cancelled");

    const report = await retention({ maxCompletedJobs: 2 }).cleanup();

    expect(report.removed).toEqual(["first", "second"]);
    for (const id of ["running", "third", "fourth"]) expect(filesOf(id), id).toBe(true);
    expect(filesOf("first")).toBe(false);
    expect(await store.get("second")).toBeUndefined();
    expect((await retention({ maxCompletedJobs: 2 }).cleanup()).removed).toEqual([]);
  });

  it("keeps an unfinished job even if the store offers it for removal", async () => {
    await jobWithFiles("running", "processing");
    await jobWithFiles("done", "completed");
    const running = await store.get("running");
    const done = await store.get("done");
    const confused: RetentionOptions["store"] = {
      expired: () => Promise.resolve([running, done].flatMap((job) => (job ? [job] : []))),
      remove: (ids) => store.remove(ids),
      withoutRecord: (ids) => store.withoutRecord(ids),
    };
    const errors: string[] = [];
    const logger = pino(
      { level: "error" },
      {
        write: (line: string) => {
          errors.push(line);
        },
      },
    );

    const report = await retention({ store: confused, logger }).cleanup();

    expect(report.removed).toEqual(["done"]);
    expect(filesOf("running")).toBe(true);
    expect((await store.get("running"))?.status).toBe("processing");
    expect(errors.join("")).toContain("unfinished");
  });

  it("runs once at start, then on its interval, until stopped", async () => {
    await jobWithFiles("old", "completed");
    const periodic = retention({ maxCompletedJobs: 0, intervalMs: 50 });
    periodic.start();
    await vi.waitFor(async () => {
      expect(await store.get("old")).toBeUndefined();
    });
    await jobWithFiles("later", "completed");
    await vi.waitFor(async () => {
      expect(await store.get("later")).toBeUndefined();
    });
    await periodic.stop();
    await jobWithFiles("after-stop", "completed");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(filesOf("after-stop")).toBe(true);
  });

  it("reports job folders that no record owns, once, and removes them past the age limit", async () => {
    await jobWithFiles("owned", "completed");
    await orphanedFolder("lost-long-ago", 200 * HOUR);
    await orphanedFolder("lost-lately", 2 * HOUR);
    const warnings: { msg: string; jobs?: string[] }[] = [];
    const logger = pino(
      { level: "warn" },
      {
        write: (line: string) => {
          warnings.push(JSON.parse(line) as { msg: string; jobs?: string[] });
        },
      },
    );
    const pass = retention({ logger });
    // A submission storing its images right now: its record is about to be written.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await orphanedFolder("in-flight", 0);

    const report = await pass.cleanup();

    expect(report).toEqual({ removed: [], orphansRemoved: ["lost-long-ago"] });
    expect(existsSync(join(root, "jobs", "lost-long-ago"))).toBe(false);
    for (const id of ["lost-lately", "in-flight", "owned"]) {
      expect(existsSync(join(root, "jobs", id)), id).toBe(true);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/without a job record.*OUTPUT_MAX_AGE_HOURS/);
    expect(warnings[0]?.jobs?.sort()).toEqual(["lost-lately", "lost-long-ago"]);
    expect(await pass.cleanup()).toEqual({ removed: [], orphansRemoved: [] });
    expect(warnings).toHaveLength(1);
  });

  it("passes that overlap are joined, not doubled", async () => {
    await jobWithFiles("done", "completed");
    const once = retention({ maxCompletedJobs: 0 });
    const [first, second] = await Promise.all([once.cleanup(), once.cleanup()]);
    expect(first).toBe(second);
    expect(first.removed).toEqual(["done"]);
  });
});

describe("retention configuration", () => {
  it("keeps everything by default; limits are set with the legacy MAX_COMPLETED_JOBS and OUTPUT_MAX_AGE_HOURS", () => {
    const defaults = loadConfig({});
    expect(defaults.maxCompletedJobs).toBeNull();
    expect(defaults.outputMaxAgeMs).toBeNull();
    expect(defaults.cleanupIntervalMs).toBe(300_000);
    expect(loadConfig({ MAX_COMPLETED_JOBS: "", OUTPUT_MAX_AGE_HOURS: "" })).toMatchObject({
      maxCompletedJobs: null,
      outputMaxAgeMs: null,
    });
    const set = loadConfig({
      MAX_COMPLETED_JOBS: "50",
      OUTPUT_MAX_AGE_HOURS: "1.5",
      CLEANUP_INTERVAL_S: "60",
    });
    expect(set.maxCompletedJobs).toBe(50);
    expect(set.outputMaxAgeMs).toBe(1.5 * HOUR);
    expect(set.cleanupIntervalMs).toBe(60_000);
    expect(() => loadConfig({ MAX_COMPLETED_JOBS: "-1" })).toThrow(/MAX_COMPLETED_JOBS/);
    expect(() => loadConfig({ OUTPUT_MAX_AGE_HOURS: "0" })).toThrow(/OUTPUT_MAX_AGE_HOURS/);
  });

  it("the default configuration deletes nothing: old finished jobs, many of them, and orphaned folders stay", async () => {
    const defaults = loadConfig({});
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(START);
    for (const status of ["completed", "failed", "cancelled"] as const) {
      for (let index = 0; index < 4; index++) await jobWithFiles(`${status}-${index}`, status);
    }
    await orphanedFolder("lost-long-ago", 10_000 * HOUR);
    // Years later.
    vi.setSystemTime(START + 30_000 * HOUR);
    const pass = retention({
      maxCompletedJobs: defaults.maxCompletedJobs,
      maxAgeMs: defaults.outputMaxAgeMs,
    });

    expect(await pass.cleanup()).toEqual({ removed: [], orphansRemoved: [] });
    for (const status of ["completed", "failed", "cancelled"]) {
      for (let index = 0; index < 4; index++) {
        expect(await store.get(`${status}-${index}`)).toBeDefined();
        expect(filesOf(`${status}-${index}`)).toBe(true);
      }
    }
    expect(existsSync(join(root, "jobs", "lost-long-ago"))).toBe(true);
  });

  it("one limit alone applies: a count without an age, an age without a count", async () => {
    for (let index = 0; index < 3; index++) await jobWithFiles(`done-${index}`, "completed");
    expect((await retention({ maxCompletedJobs: null, maxAgeMs: HOUR }).cleanup()).removed).toEqual(
      [],
    );
    expect((await retention({ maxCompletedJobs: 1, maxAgeMs: null }).cleanup()).removed).toEqual([
      "done-0",
      "done-1",
    ]);
  });
});
