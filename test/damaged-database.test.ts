// A damaged job database takes the service down no further than it must: a row that
// cannot be read is set aside and named (job, column) while every other job is served; a
// file that cannot be used at all is refused at start, naming the file and what is wrong;
// job folders that no record owns (an emptied database) are reported and, past the age
// limit, removed.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../src/store/sqlite.js";
import { makeTempDir } from "./helpers/engine.js";
import { storedImageJob } from "./helpers/plans.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const HOUR = 3_600_000;

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A logger that keeps its lines (warnings and errors). */
function recordingLogger() {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: "warn" },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  return { logger, lines };
}

/** A data directory whose job database holds these jobs, as a service would have left it. */
async function dataDirWith(jobs: { id: string; finished: boolean }[]): Promise<string> {
  const dataDir = makeTempDir("damaged");
  const store = SqliteJobStore.open(join(dataDir, "jobs.sqlite"));
  for (const { id, finished } of jobs) {
    await store.insert({
      id,
      legacyId: null,
      type: "image",
      ...storedImageJob(`prompt of ${id}`),
      priority: 0,
      apiKeyHash: null,
      batchItems: null,
    });
    if (!finished) continue;
    await store.start(id);
    await store.complete(id, { outputs: [], metadata: {} });
  }
  await store.close();
  return dataDir;
}

/** Changes the database behind the service's back, as a torn write or a stray edit would. */
function damage(dataDir: string, sql: string): void {
  const db = new Database(join(dataDir, "jobs.sqlite"));
  db.exec(sql);
  db.close();
}

describe("a damaged job database", () => {
  let service: AssembledService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  const get = async (url: string) => {
    const answer = await service?.app.inject({ method: "GET", url });
    return { status: answer?.statusCode, body: answer?.json<Record<string, unknown>>() };
  };

  it("sets aside a finished job's damaged row, names it, and serves every other job", async () => {
    const dataDir = await dataDirWith([
      { id: "done-1", finished: true },
      { id: "torn", finished: true },
      { id: "waiting-1", finished: false },
    ]);
    damage(dataDir, "UPDATE jobs SET data = substr(data, 1, 15) WHERE id = 'torn'");
    const { logger, lines } = recordingLogger();
    service = await assembleEngineFreeService({ dataDir, logger });

    for (const url of [
      "/api/jobs",
      "/api/jobs?status=completed",
      "/api/jobs?type=image",
      "/api/jobs/done-1",
      "/queue",
    ]) {
      expect((await get(url)).status, url).toBe(200);
    }
    const listed = (await get("/api/jobs")).body?.jobs as { id: string }[];
    expect(listed.map((job) => job.id)).toEqual(["waiting-1", "done-1"]);
    expect((await get("/api/jobs/torn")).status).toBe(404);
    const report = lines.find((line) => line.jobId === "torn");
    expect(report).toMatchObject({ field: "data", database: join(dataDir, "jobs.sqlite") });
    expect(report?.msg).toMatch(/set aside/);
  });

  it("starts with a waiting job's row damaged, naming it, and runs the queue without it", async () => {
    const dataDir = await dataDirWith([
      { id: "waiting-1", finished: false },
      { id: "torn", finished: false },
      { id: "waiting-2", finished: false },
    ]);
    damage(dataDir, "UPDATE jobs SET plan = substr(plan, 1, 30) WHERE id = 'torn'");
    const { logger, lines } = recordingLogger();
    service = await assembleEngineFreeService({ dataDir, logger });

    const pending = (await get("/api/jobs?status=pending")).body?.jobs as { id: string }[];
    expect(pending.map((job) => job.id)).toEqual(["waiting-2", "waiting-1"]);
    expect((await get("/api/jobs/waiting-1")).body).toMatchObject({ queue_position: 0 });
    expect((await get("/api/jobs/waiting-2")).body).toMatchObject({ queue_position: 1 });
    expect(lines.find((line) => line.jobId === "torn")).toMatchObject({ field: "plan" });
  });

  it("says so when job folders have no record (an emptied database), and removes old ones", async () => {
    const dataDir = makeTempDir("emptied");
    writeFileSync(join(dataDir, "jobs.sqlite"), "");
    const lost = { old: randomUUID(), recent: randomUUID() };
    for (const [id, ageMs] of [
      [lost.old, 200 * HOUR],
      [lost.recent, HOUR],
    ] as const) {
      const inputs = join(dataDir, "jobs", id, "inputs");
      mkdirSync(inputs, { recursive: true });
      writeFileSync(join(inputs, "input.png"), "png");
      const then = (Date.now() - ageMs) / 1000;
      utimesSync(inputs, then, then);
      utimesSync(join(dataDir, "jobs", id), then, then);
    }
    const { logger, lines } = recordingLogger();
    // An age limit set: by default nothing is ever removed.
    service = await assembleEngineFreeService({ dataDir, logger, outputMaxAgeMs: 168 * HOUR });

    const report = await service.retention.cleanup();

    const warning = lines.find((line) => /without a job record/.test(line.msg));
    expect(warning).toMatchObject({ folders: 2 });
    expect((warning?.jobs as string[]).sort()).toEqual([lost.old, lost.recent].sort());
    expect(report.orphansRemoved).toEqual([lost.old]);
  });

  it("refuses a file that is not a database, naming it", async () => {
    const dataDir = makeTempDir("not-a-db");
    const path = join(dataDir, "jobs.sqlite");
    writeFileSync(path, "job notes, not a database\n".repeat(100));
    await expect(assembleEngineFreeService({ dataDir })).rejects.toThrow(
      `the job database ${path} cannot be used: file is not a database`,
    );
  });

  it("refuses a database cut short, naming it and what is wrong", async () => {
    const dataDir = await dataDirWith(
      Array.from({ length: 200 }, (_, index) => ({
        id: `job-${index}`,
        finished: index % 2 === 0,
      })),
    );
    const path = join(dataDir, "jobs.sqlite");
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(assembleEngineFreeService({ dataDir })).rejects.toThrow(
      new RegExp(`^the job database ${path} cannot be used: database disk image is malformed`),
    );
  });
});
