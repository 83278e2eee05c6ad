// A server killed (kill -9) in the third section of a 4-section video, then restarted: the
// video resumes from its section checkpoint, samples only the remaining sections, and its
// MP4 holds the same frames as an uninterrupted run of the same request (the compiled service,
// as `npm start` runs it; docs/architecture.md §6).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { makeTempDir, solidPngBase64 } from "./helpers/engine.js";
import { startServerProcess, type ServerProcess } from "./helpers/server-process.js";
import { postJson, waitForJob, type JobView } from "./helpers/service.js";
import { fourSectionVideo, videoFramesOf } from "./helpers/videos.js";

type VideoJob = JobView & {
  sections: { total: number; done: number } | null;
  result: { metadata: { resumed_at_section?: number } } | null;
};

const dataDir = makeTempDir("video-resume");
const servers: ServerProcess[] = [];

function startServer(): ServerProcess {
  const server = startServerProcess({
    FRAMEPACK_DATA_DIR: dataDir,
    FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot"),
    LOG_LEVEL: "info",
  });
  server.listening.catch(() => undefined);
  servers.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

const fourSections = (image: string) => fourSectionVideo(image, 5);

async function submit(url: string, body: unknown): Promise<string> {
  const response = await postJson(`${url}/api/generate-video`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.job_id as string;
}

describe("kill -9 of the server in a video's third section", () => {
  it("resumes from the checkpoint and ends with the frames of an uninterrupted run", async () => {
    onTestFailed(() => {
      // What each server did, for a failure that is a hang.
      for (const server of servers) console.error(server.logs.map((line) => line.msg).join("\n"));
    });
    const image = await solidPngBase64(64, 48, 90);
    const first = startServer();
    const url = await first.listening;
    const reference = await waitForJob(url, await submit(url, fourSections(image)));
    const expected = await videoFramesOf(url, reference);

    const id = await submit(url, fourSections(image));
    const inThird = (await waitForJob(url, id, (job) => {
      const { sections, status } = job as VideoJob;
      return status !== "processing" || (sections?.done ?? 0) >= 2;
    })) as VideoJob;
    expect(inThird.sections).toEqual({ total: 4, done: 2 });
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGKILL");
    await exited;

    const second = startServer();
    const restarted = await second.listening;
    const done = (await waitForJob(restarted, id, undefined, 240_000)) as VideoJob;
    expect(await videoFramesOf(restarted, done)).toBe(expected);
    // Sampled only sections 3 and 4: it resumed after the two its checkpoint held.
    expect(done.result?.metadata.resumed_at_section).toBe(2);
    expect(done.sections).toEqual({ total: 4, done: 4 });
    expect(existsSync(join(dataDir, "jobs", id, "checkpoint"))).toBe(false);
  }, 360_000);
});
