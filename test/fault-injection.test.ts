// Fault injection against the compiled service, the way `npm start` runs it:
// 1. rounds of kill -9 (the server or one of its engines, at a random moment) under a
//    mixed load of every job type; afterwards every job has ended with a reason, every
//    output file is whole, no job completed twice and the database is intact;
// 2. a full outputs disk (a real one: a small tmpfs) fails the job with a clear reason
//    and the service serves the next job once space is back;
// 3. a hung engine (SIGSTOP) is killed by the watchdog, restarted, and its job retried;
// 4. the job database's disk full (a tmpfs of its own), then its write lock held by
//    another process, each for seconds under a mixed load: the service keeps answering,
//    refuses submissions with 503 and Retry-After (a 202 always means a stored job), and
//    afterwards nothing is lost, duplicated or half-written, as after the kills.
// FAULT_SEED=<n> repeats a run's choices (the seed is printed).
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { canMountTmpfs, fillDisk, mountTmpfs, unmount } from "./helpers/disk.js";
import { livePid, makeTempDir } from "./helpers/engine.js";
import { assertWholeMp4, assertWholePng, isTempOutput, outputFiles } from "./helpers/outputs.js";
import {
  childPids,
  pidsWithEnvironment,
  startServerProcess,
  type ServerProcess,
} from "./helpers/server-process.js";
import { getJob, postJson, waitForJob, type JobView } from "./helpers/service.js";

/** FAULT_ROUNDS: 12 by default (a random seed each run, so CI soaks more over time). */
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 12);
const MAX_ATTEMPTS = 4;
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, so a failing run can be repeated. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function smallImage(): Promise<string> {
  const pixels = Buffer.alloc(64 * 64 * 3, 120);
  const png = await sharp(pixels, { raw: { width: 64, height: 64, channels: 3 } })
    .png()
    .toBuffer();
  return png.toString("base64");
}

/** One request of each job type, a few steps at 64 px. */
function requests(image: string) {
  const tiny = { steps: 2, width: 64, height: 64 };
  return [
    ["/api/generate-image", { prompt: "a lighthouse", ...tiny }],
    ["/api/batch-images", { prompts: ["one", "two", "three"], batch_size: 2, ...tiny }],
    [
      "/api/transfer-image",
      { prompt: "the coat", source_image: image, target_image: image, ...tiny },
    ],
    [
      "/api/generate-video",
      {
        prompt: "it moves",
        image,
        video_length: 0.3,
        latent_window_size: 3,
        use_teacache: false,
        ...tiny,
      },
    ],
  ] as const;
}

/** A server process of the test's data directory; replaced when it is killed. */
/** Batch jobs `processing` now: at most one runs, the others wait between micro-batches. */
async function waitingBatches(url: string): Promise<number> {
  const response = await fetch(`${url}/api/jobs?status=processing&type=batch_image&limit=200`);
  const page = (await response.json()) as { jobs: unknown[] };
  return page.jobs.length;
}

class ServerUnderTest {
  current: ServerProcess;
  readonly all: ServerProcess[] = [];

  constructor(private readonly env: Record<string, string>) {
    this.current = this.#start();
  }

  #start(): ServerProcess {
    const server = startServerProcess(this.env);
    server.listening.catch(() => undefined); // a server killed while starting never listens
    this.all.push(server);
    return server;
  }

  get pid(): number {
    return this.current.child.pid ?? 0;
  }

  async killAndRestart(): Promise<void> {
    const exited = new Promise((resolve) => this.current.child.once("exit", resolve));
    this.current.child.kill("SIGKILL");
    await exited;
    this.current = this.#start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((server) => server.stop()));
  }

  /** Log lines of every server this test started, in order. */
  logs(): Record<string, unknown>[] {
    return this.all.flatMap((server) => server.logs as unknown as Record<string, unknown>[]);
  }
}

/** Waits until the server reports an engine up (restarted after a kill). */
async function waitForEngine(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const system = (await (await fetch(`${url}/api/system`)).json()) as { engines: unknown[] };
    if (system.engines.length > 0) return;
    if (Date.now() > deadline) throw new Error("no engine came back within 60 s");
    await sleep(200);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function allJobs(url: string): Promise<JobView[]> {
  const response = await fetch(`${url}/api/jobs?limit=200`);
  return ((await response.json()) as { jobs: JobView[] }).jobs;
}

async function drained(url: string, timeoutMs: number): Promise<JobView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await allJobs(url);
    const open = jobs.filter((job) => job.status === "pending" || job.status === "processing");
    if (open.length === 0) return jobs;
    if (Date.now() > deadline) throw new Error(`${open.length} jobs still open after the drain`);
    await sleep(500);
  }
}

/** Every output file decodes whole; no temp file of a killed write is left. */
async function checkOutputFiles(dataDir: string): Promise<number> {
  let checked = 0;
  for (const [job, files] of outputFiles(dataDir)) {
    for (const path of files) {
      expect(isTempOutput(path), `${job}: leftover ${path}`).toBe(false);
      if (path.endsWith(".png")) await assertWholePng(path);
      if (path.endsWith(".mp4")) assertWholeMp4(path);
      checked += 1;
    }
  }
  return checked;
}

/** The paths of the files a completed job's result names. */
function resultFiles(dataDir: string, job: JobView): string[] {
  const urls = [...(job.result?.images ?? []), ...(job.result?.video ? [job.result.video] : [])];
  // "/api/outputs/<job>/<file>" -> <dataDir>/jobs/<job>/outputs/<file>
  return urls.map(({ url }) => {
    const [jobId = "", file = ""] = url.split("/").slice(-2);
    return join(dataDir, "jobs", jobId, "outputs", file);
  });
}

/** How often each job was logged as finished with status completed, over all servers. */
function completions(logs: Record<string, unknown>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of logs) {
    if (line.msg !== "job finished" || line.status !== "completed") continue;
    const job = String(line.job);
    counts.set(job, (counts.get(job) ?? 0) + 1);
  }
  return counts;
}

function integrityCheck(dataDir: string): string {
  const db = new Database(join(dataDir, "jobs.sqlite"), { readonly: true });
  try {
    return db.pragma("integrity_check", { simple: true }) as string;
  } finally {
    db.close();
  }
}

/**
 * Nothing lost: every submitted job (each one answered 202) is found and has ended,
 * completed or failed with a reason. Returns them.
 */
async function endedWithAReason(
  url: string,
  submitted: readonly string[],
  timeoutMs: number,
): Promise<JobView[]> {
  const byId = new Map((await drained(url, timeoutMs)).map((job) => [job.id, job]));
  const jobs: JobView[] = [];
  for (const id of submitted) {
    const job = byId.get(id) ?? (await getJob(url, id));
    expect(["completed", "failed"], `${id}: ${job.status}`).toContain(job.status);
    if (job.status === "failed") expect(job.error?.message, id).toBeTruthy();
    jobs.push(job);
  }
  return jobs;
}

/**
 * Nothing half-written and nothing duplicated, once the servers have stopped: every
 * output file is whole and every file a completed job names is there, no job completed
 * twice, and the database passes its integrity check.
 */
async function expectWholeAndOnce(
  dataDir: string,
  server: ServerUnderTest,
  jobs: readonly JobView[],
): Promise<void> {
  const completed = jobs.filter((job) => job.status === "completed");
  expect(await checkOutputFiles(dataDir)).toBeGreaterThan(0);
  const onDisk = new Set([...outputFiles(dataDir).values()].flat());
  for (const job of completed) {
    for (const file of resultFiles(dataDir, job)) expect(onDisk, job.id).toContain(file);
  }
  for (const [job, count] of completions(server.logs())) {
    expect(count, `${job} completed ${count} times`).toBe(1);
  }
  expect(integrityCheck(dataDir)).toBe("ok");
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(200);
  }
}

const tinyModelRoot = () => inject("tinyModelRoot");

describe("kill -9 at random moments under a mixed load", () => {
  const dataDir = makeTempDir("faults");
  let server: ServerUnderTest;

  afterAll(async () => {
    await server.stop();
  });

  it(`${ROUNDS} rounds lose nothing and break nothing`, { timeout: 420_000 }, async () => {
    console.log(`fault injection seed ${SEED} (FAULT_SEED=${SEED} repeats the run)`);
    const random = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    server = new ServerUnderTest({
      FRAMEPACK_DATA_DIR: dataDir,
      FRAMEPACK_MODEL_ROOT: tinyModelRoot(),
      FRAMEPACK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      FRAMEPACK_HEARTBEAT_INTERVAL_S: "0.5",
    });
    const load = requests(await smallImage());
    const started = Date.now();
    const elapsed = () => Math.round((Date.now() - started) / 1000);
    const submitted: string[] = [];
    const kills = { server: 0, engine: 0 };
    // Attempts a kill may cost: the one job running. A server kill also costs one to each
    // batch job waiting between its micro-batches (it stays `processing` there, and the
    // restart cannot tell it from a running one), so those are counted at the kill.
    let allowedLosses = 0;

    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts once the last kill is recovered from (a new server listens, the
      // engine is back), so every kill lands on a service at work.
      const url = await server.current.listening;
      await waitForEngine(url);
      for (let count = 1 + Math.floor(random() * 2); count > 0; count--) {
        const [path, body] = pick(load);
        const answer = await postJson(`${url}${path}`, body);
        expect(answer.status, JSON.stringify(answer.body)).toBe(202);
        submitted.push(answer.body.job_id as string);
      }
      await sleep(100 + random() * 1400);
      const engines = childPids(server.pid);
      if (random() < 0.25 || engines.length === 0) {
        kills.server += 1;
        allowedLosses += 1 + (await waitingBatches(url));
        await server.killAndRestart();
      } else {
        kills.engine += 1;
        allowedLosses += 1;
        process.kill(pick(engines), "SIGKILL");
        await waitUntil(() => !engines.some(isAlive), 10_000, "the engine died");
      }
    }
    console.log(
      `fault injection: ${submitted.length} jobs, kills ${JSON.stringify(kills)}, ` +
        `${elapsed()} s; draining`,
    );

    const url = await server.current.listening;
    const jobs = await endedWithAReason(url, submitted, 200_000);
    for (const job of jobs) expect(job.attempts, job.id).toBeLessThanOrEqual(MAX_ATTEMPTS);
    const completed = jobs.filter((job) => job.status === "completed");
    // Each kill interrupts at most the one job running then; any other attempt lost means a
    // job was sent to an engine already dead.
    const lostAttempts = jobs.reduce(
      (sum, job) => sum + (job.status === "completed" ? job.attempts - 1 : job.attempts),
      0,
    );
    expect(lostAttempts, "attempts lost to kills").toBeLessThanOrEqual(allowedLosses);
    expect(completed.length).toBeGreaterThan(0);
    console.log(
      `fault injection: ${elapsed()} s; ${completed.length} completed, ` +
        `${jobs.length - completed.length} failed: ` +
        JSON.stringify([...new Set(jobs.flatMap((job) => (job.error ? [job.error.code] : [])))]),
    );

    await server.stop();
    // No engine outlives its server, even one whose server was killed under it.
    await waitUntil(
      () => pidsWithEnvironment("FRAMEPACK_DATA_DIR", dataDir).length === 0,
      20_000,
      "the engines of killed servers exit",
    );
    await expectWholeAndOnce(dataDir, server, jobs);
  });
});

describe("a full disk and a hung engine", () => {
  const dataDir = makeTempDir("disk");
  const outputs = join(dataDir, "jobs");
  mkdirSync(outputs);
  // Decided when the tests are collected; mounted only once they run, so a filtered run
  // leaves no mount behind.
  const mounted = canMountTmpfs();
  let server: ServerUnderTest;
  let url: string;

  beforeAll(async () => {
    if (mounted) mountTmpfs(outputs, 16);
    server = new ServerUnderTest({
      FRAMEPACK_DATA_DIR: dataDir,
      FRAMEPACK_MODEL_ROOT: tinyModelRoot(),
      FRAMEPACK_HEARTBEAT_INTERVAL_S: "0.5",
      FRAMEPACK_HEARTBEAT_TIMEOUT_MS: "3000",
    });
    url = await server.current.listening;
  });

  afterAll(async () => {
    try {
      await server.stop();
    } finally {
      if (mounted) unmount(outputs);
    }
  });

  it.runIf(mounted)(
    "a full outputs disk fails the job with a clear reason; the next job runs once space is back",
    { timeout: 120_000 },
    async () => {
      const [[imagePath, imageBody], , [transferPath, transferBody]] = requests(await smallImage());
      const filler = fillDisk(outputs);

      const job = await postJson(`${url}${imagePath}`, imageBody);
      const failed = await waitForJob(url, job.body.job_id as string);
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatchObject({ code: "disk_full" });
      expect(failed.error?.message).toMatch(/^no space left on device/);
      // A request with images cannot even store them: refused, with when to come back.
      const refused = await postJson(`${url}${transferPath}`, transferBody);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: { code: "storage_full" } });
      expect((await fetch(`${url}/health`)).status).toBe(200);

      rmSync(filler);
      const next = await postJson(`${url}${imagePath}`, imageBody);
      expect((await waitForJob(url, next.body.job_id as string)).status).toBe("completed");
      expect(outputFiles(dataDir).get(failed.id)?.filter(isTempOutput) ?? []).toEqual([]);
    },
  );

  it(
    "a hung engine is killed by the watchdog, restarted, and its job retried",
    {
      timeout: 120_000,
    },
    async () => {
      const [[path, body]] = requests(await smallImage());
      const long = await postJson(`${url}${path}`, { ...body, steps: 40, width: 128, height: 128 });
      const id = long.body.job_id as string;
      await waitForJob(url, id, (job) => job.status === "processing");
      const [engine] = childPids(server.pid);
      process.kill(livePid(engine), "SIGSTOP");

      const job = await waitForJob(url, id, undefined, 100_000);
      expect(job).toMatchObject({ status: "completed", attempts: 2 });
      const watchdog = server.logs().find((line) => String(line.msg).includes("heartbeats"));
      expect(watchdog).toBeDefined();
      expect(childPids(server.pid)).not.toContain(engine);
    },
  );
});

/** How long each fault of the database lasts: several progress flushes and job ends. */
const FAULT_MS = 6000;

interface Refusal {
  code: string;
  retryAfter: string | null;
}

/** Submits a job; the id when answered 202 (checked to be stored at once), else the refusal. */
async function submitDuringFault(url: string, path: string, body: object) {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { job_id?: string; error?: { code: string } };
  if (response.status === 202) {
    const id = answer.job_id ?? "";
    // Stored, not only announced: it is there at once.
    expect((await getJob(url, id)).id).toBe(id);
    return { id };
  }
  expect(response.status, JSON.stringify(answer)).toBe(503);
  const refusal: Refusal = {
    code: answer.error?.code ?? "",
    retryAfter: response.headers.get("retry-after"),
  };
  return { refusal };
}

/**
 * Submits one job of each type and, once one runs, brings on `fault`; while it lasts,
 * keeps submitting and, while each submission is answered, keeps timing /health. Returns
 * every id answered 202 and the refusals.
 */
async function loadThrough(
  url: string,
  fault: (during: () => Promise<void>) => Promise<void>,
): Promise<{ submitted: string[]; refusals: Refusal[] }> {
  const load = requests(await smallImage());
  const submitted: string[] = [];
  for (const [path, body] of load) {
    const answer = await postJson(`${url}${path}`, body);
    expect(answer.status).toBe(202);
    submitted.push(answer.body.job_id as string);
  }
  await waitForJob(url, submitted[0] ?? "", (job) => job.status !== "pending");
  const refusals: Refusal[] = [];
  await fault(async () => {
    const deadline = Date.now() + FAULT_MS;
    for (let round = 0; Date.now() < deadline; round++) {
      const [path, body] = load[round % load.length] ?? load[0];
      const submission = { answered: false };
      const answer = submitDuringFault(url, path, body).finally(() => {
        submission.answered = true;
      });
      do {
        const started = performance.now();
        expect((await fetch(`${url}/health`)).status).toBe(200);
        const ms = performance.now() - started;
        expect(ms, "/health while the database cannot write").toBeLessThan(500);
        await sleep(200);
      } while (!submission.answered);
      const { id, refusal } = await answer;
      if (id !== undefined) submitted.push(id);
      if (refusal) refusals.push(refusal);
    }
  });
  return { submitted, refusals };
}

describe("the job database's disk full, then its lock held, under load", () => {
  const dataDir = makeTempDir("store-faults");
  // The database on a disk of its own, the outputs on another: only the database's fills.
  const outputs = join(dataDir, "jobs");
  const mounted = canMountTmpfs();
  let server: ServerUnderTest;
  let url: string;

  beforeAll(async () => {
    if (mounted) {
      mountTmpfs(dataDir, 32);
      mkdirSync(outputs);
      mountTmpfs(outputs, 64);
    }
    server = new ServerUnderTest({
      FRAMEPACK_DATA_DIR: dataDir,
      FRAMEPACK_MODEL_ROOT: tinyModelRoot(),
      FRAMEPACK_HEARTBEAT_INTERVAL_S: "0.5",
    });
    url = await server.current.listening;
  });

  afterAll(async () => {
    try {
      await server.stop();
    } finally {
      if (mounted) {
        unmount(outputs);
        unmount(dataDir);
      }
    }
  });

  it.runIf(mounted)("a full database disk refuses new jobs and strands none", async () => {
    const { submitted, refusals } = await loadThrough(url, async (during) => {
      const filler = fillDisk(dataDir);
      try {
        await during();
      } finally {
        rmSync(filler);
      }
    });
    expect(refusals).toContainEqual({ code: "storage_full", retryAfter: "30" });
    const jobs = await endedWithAReason(url, submitted, 120_000);
    expect(jobs.filter((job) => job.status === "failed")).toEqual([]);
    await expectWholeAndOnce(dataDir, server, jobs);
  });

  it("a write lock held by another process refuses new jobs and strands none", async () => {
    const { submitted, refusals } = await loadThrough(url, async (during) => {
      const holder = new Database(join(dataDir, "jobs.sqlite"));
      holder.exec("BEGIN IMMEDIATE");
      try {
        await during();
      } finally {
        holder.exec("COMMIT");
        holder.close();
      }
    });
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals)
      expect(refusal).toEqual({ code: "store_busy", retryAfter: "30" });
    const jobs = await endedWithAReason(url, submitted, 120_000);
    expect(jobs.filter((job) => job.status === "failed")).toEqual([]);
    await expectWholeAndOnce(dataDir, server, jobs);
  });
});
