// The job store failing under a running service, with a real engine: its database's
// write lock held by another process, and its writes refused as on a full disk (injected
// at the driver, the error better-sqlite3 raises then). Meanwhile the service keeps
// answering, refuses submissions with 503 and Retry-After instead of losing them, keeps
// waiting jobs queued and the running one's end in hand; once the store writes again,
// every job runs to its end, once.
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  getJob,
  postJson,
  startTestService,
  waitForJob,
  type TestService,
} from "./helpers/service.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const LONG = { prompt: "a long run", steps: 30, width: 128, height: 128 };
const SHORT = { prompt: "a short run", steps: 2, width: 64, height: 64 };

interface LogLine {
  msg: string;
  job?: string;
}

async function submit(url: string, body: object): Promise<string> {
  const answer = await postJson(`${url}/api/generate-image`, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body.job_id as string;
}

/** A submission's answer, headers included. */
async function tryToSubmit(url: string) {
  const response = await fetch(`${url}/api/generate-image`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(SHORT),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body };
}

async function waitForLog(lines: LogLine[], what: (line: LogLine) => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!lines.some(what)) {
    if (Date.now() > deadline) throw new Error("the expected log line never came");
    await sleep(50);
  }
}

describe("a job store that cannot write for a while", () => {
  let service: TestService;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const logger = pino(
      { level: "info" },
      {
        write: (line: string) => {
          lines.push(JSON.parse(line) as LogLine);
        },
      },
    );
    service = await startTestService({ logger });
  });
  afterAll(async () => {
    await service.close();
  });
  afterEach(() => {
    lines.length = 0;
  });

  it("locked by another process: /health answers, submissions get 503 store_busy, no job is lost", async () => {
    const { url } = service;
    const running = await submit(url, LONG);
    const waiting = [await submit(url, SHORT), await submit(url, SHORT)];
    const toCancel = await submit(url, SHORT);
    await waitForJob(url, running, (job) => job.status === "processing");

    const holder = new Database(join(service.dataDir, "jobs.sqlite"));
    holder.exec("BEGIN IMMEDIATE");
    const heldMs = 8000;
    const released = sleep(heldMs).then(() => {
      holder.exec("COMMIT");
      holder.close();
    });
    const refused = tryToSubmit(url);
    const cancelling = fetch(`${url}/api/jobs/${toCancel}/cancel`, { method: "POST" });
    const slowest = { ms: 0 };
    for (let check = 0; check < 12; check++) {
      const started = performance.now();
      expect((await fetch(`${url}/health`)).status).toBe(200);
      slowest.ms = Math.max(slowest.ms, performance.now() - started);
      await sleep(300);
    }
    // A synchronous wait for the lock would hold every request for seconds.
    expect(slowest.ms).toBeLessThan(500);
    const answer = await refused;
    expect(answer).toMatchObject({ status: 503, retryAfter: "30" });
    expect(answer.body.error?.code).toBe("store_busy");
    // A cancel that cannot be recorded is refused the same way and leaves the job queued.
    const cancel = await cancelling;
    expect(cancel.status).toBe(503);
    expect(((await cancel.json()) as { error: { code: string } }).error.code).toBe("store_busy");
    expect((await getJob(url, toCancel)).queue_position).not.toBeNull();
    await released;
    expect(
      (await (
        await fetch(`${url}/api/jobs/${toCancel}/cancel`, { method: "POST" })
      ).json()) as object,
    ).toMatchObject({ status: "cancelled" });

    for (const id of [running, ...waiting]) {
      expect(await waitForJob(url, id), id).toMatchObject({ status: "completed", attempts: 1 });
    }
    const jobs = (await (await fetch(`${url}/api/jobs?limit=200`)).json()) as { jobs: unknown[] };
    expect(jobs.jobs).toHaveLength(4); // the refused submission left no record
  });

  it("refusing writes (a full disk): the queue waits and goes on by itself afterwards", async () => {
    const { url } = service;
    const before = (
      (await (await fetch(`${url}/api/jobs?limit=200`)).json()) as { jobs: unknown[] }
    ).jobs.length;
    const running = await submit(url, LONG);
    const waiting = [await submit(url, SHORT), await submit(url, SHORT)];
    await waitForJob(url, running, (job) => job.status === "processing");

    const restore = failWritesLikeAFullDisk();
    try {
      const answer = await tryToSubmit(url);
      expect(answer).toMatchObject({ status: 503, retryAfter: "30" });
      expect(answer.body.error?.code).toBe("storage_full");
      // The run ends; its result waits to be recorded, and the next job cannot start.
      await waitForLog(lines, (line) => line.job === running && /cannot write/.test(line.msg));
      await waitForLog(lines, (line) => /queued jobs wait/.test(line.msg));
      for (const id of waiting) {
        const job = await getJob(url, id);
        expect(job.status, id).toBe("pending");
        expect(job.queue_position, id).not.toBeNull();
      }
      expect((await getJob(url, running)).status).toBe("processing");
      await sleep(1500);
    } finally {
      restore();
    }

    for (const id of [running, ...waiting]) {
      expect(await waitForJob(url, id, undefined, 60_000), id).toMatchObject({
        status: "completed",
        attempts: 1,
      });
    }
    const after = ((await (await fetch(`${url}/api/jobs?limit=200`)).json()) as { jobs: unknown[] })
      .jobs.length;
    expect(after - before).toBe(3);
  });
});

/**
 * Makes every write statement of this process fail with SQLITE_FULL, as better-sqlite3
 * fails them on a full disk; returns the undo.
 */
function failWritesLikeAFullDisk(): () => void {
  const scratch = new Database(":memory:");
  const prototype = Object.getPrototypeOf(scratch.prepare("SELECT 1")) as Statement;
  scratch.close();
  const run = Object.getOwnPropertyDescriptor(prototype, "run") as PropertyDescriptor;
  const original = run.value as (this: Statement, ...params: unknown[]) => unknown;
  prototype.run = function (this: Statement, ...params: unknown[]) {
    if (/^\s*(INSERT|UPDATE|DELETE)/i.test(this.source)) {
      throw new Database.SqliteError("database or disk is full", "SQLITE_FULL");
    }
    return original.apply(this, params);
  } as Statement["run"];
  return () => {
    Object.defineProperty(prototype, "run", run);
  };
}
