// kill -9 the server while a job runs and others wait: after a restart none is lost
// or stuck; the interrupted job runs again (attempt 2) and the waiting ones run once;
// a client that resumes its event stream with an id from before the restart still
// follows the job to its end. A batch item announced just before the kill is not run
// again. A graceful stop (SIGTERM) costs the running job no attempt.
import { statSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { afterAll, describe, expect, it } from "vitest";
import { createFramePackClient } from "../src/client/index.js";
import { makeTempDir } from "./helpers/engine.js";
import { startServerProcess, type ServerProcess } from "./helpers/server-process.js";
import { postJson, waitForJob } from "./helpers/service.js";

describe("a server killed with SIGKILL", () => {
  const dataDir = makeTempDir("durability");
  const env = { FRAMEPACK_DATA_DIR: dataDir, FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot") };
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it("loses no job", { timeout: 300_000 }, async () => {
    const first = startServerProcess(env);
    servers.push(first);
    const url = await first.listening;
    const submit = async (prompt: string, steps: number, side: number) => {
      const response = await postJson(`${url}/api/generate-image`, {
        prompt,
        steps,
        width: side,
        height: side,
      });
      expect(response.status).toBe(202);
      return response.body.job_id as string;
    };
    const running = await submit("interrupted", 60, 256); // a few seconds of work
    const waiting = [await submit("waiting one", 2, 64), await submit("waiting two", 2, 64)];
    await waitForJob(url, running, (job) => job.status === "processing" && job.attempts === 1);
    const lastEventId = await idOfFirstProgressEvent(url, running);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));

    const second = startServerProcess(env);
    servers.push(second);
    const restarted = await second.listening;
    for (const id of waiting) {
      const job = await waitForJob(restarted, id, undefined, 240_000);
      expect(job).toMatchObject({ status: "completed", attempts: 1 });
    }
    const again = await waitForJob(restarted, running, undefined, 240_000);
    expect(again).toMatchObject({ status: "completed", attempts: 2 });
    expect(again.result?.images).toHaveLength(1);

    const resumed = createFramePackClient({ baseUrl: restarted }).events(running, { lastEventId });
    let last: unknown;
    for await (const event of resumed) last = event;
    expect(last).toMatchObject({ event: "done", data: { id: running, status: "completed" } });
  });
});

describe("a server killed right after it announced a batch item", () => {
  const dataDir = makeTempDir("durable-items");
  const env = { FRAMEPACK_DATA_DIR: dataDir, FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot") };
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it("does not run the item again: it was on disk before it was announced", async () => {
    const first = startServerProcess(env);
    servers.push(first);
    const url = await first.listening;
    const response = await postJson(`${url}/api/batch-images`, {
      prompts: ["one", "two", "three"],
      batch_size: 1, // a run per item: the first is announced while the batch goes on
      steps: 10,
      width: 128,
      height: 128,
    });
    const id = response.body.job_id as string;
    const item = await firstItemEvent(url, id);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    // The engine renames each whole file into place: a rewritten file is a new inode.
    const [, file = ""] = item.key.split("/");
    const path = join(dataDir, "jobs", id, "outputs", file);
    const announced = statSync(path);

    const second = startServerProcess(env);
    servers.push(second);
    const done = await waitForJob(await second.listening, id, undefined, 240_000);
    expect(done.status).toBe("completed");
    expect(done.batch_progress).toMatchObject({ total: 3, completed: 3 });
    const after = statSync(path);
    expect({ inode: after.ino, mtime: after.mtimeMs }).toEqual({
      inode: announced.ino,
      mtime: announced.mtimeMs,
    });
  });
});

describe("a server stopped with SIGTERM", () => {
  const dataDir = makeTempDir("graceful");
  const env = { FRAMEPACK_DATA_DIR: dataDir, FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot") };
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it("gives the running job its attempt back", { timeout: 300_000 }, async () => {
    const first = startServerProcess(env);
    servers.push(first);
    const url = await first.listening;
    const response = await postJson(`${url}/api/generate-image`, {
      prompt: "stopped",
      steps: 60,
      width: 256,
      height: 256,
    });
    const id = response.body.job_id as string;
    await idOfFirstProgressEvent(url, id); // running, with seconds of sampling left
    await first.stop(); // a deploy or `systemctl restart`: not the job's failure

    const second = startServerProcess(env);
    servers.push(second);
    const again = await waitForJob(await second.listening, id, undefined, 240_000);
    expect(again).toMatchObject({ status: "completed", attempts: 1 });
  });
});

/** The first finished item a batch job announces. */
async function firstItemEvent(url: string, jobId: string): Promise<{ key: string }> {
  const abort = new AbortController();
  const client = createFramePackClient({ baseUrl: url });
  for await (const event of client.events(jobId, { signal: abort.signal })) {
    if (event.event !== "item") continue;
    abort.abort();
    return event.data as { key: string };
  }
  throw new Error(`job ${jobId} ended before any item event`);
}

async function idOfFirstProgressEvent(url: string, jobId: string): Promise<number> {
  const abort = new AbortController();
  const client = createFramePackClient({ baseUrl: url });
  for await (const event of client.events(jobId, { signal: abort.signal })) {
    if (event.event !== "progress") continue;
    abort.abort();
    return event.id;
  }
  throw new Error(`job ${jobId} ended before any progress event`);
}
