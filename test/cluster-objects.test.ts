// Cluster mode with S3-compatible storage (docs/cluster.md "Storage"): an API replica and
// an agent that share nothing but PostgreSQL and the object store (moto), each with a
// data folder of its own. The replica uploads the inputs, the agent fetches them, runs
// the job and uploads the outputs under their attempt, the replica serves them; an F1
// video is then continued from the stored one (its latent history travels as an object).
// A video whose agent stops mid-way resumes on another agent, with a folder of its own,
// from the section checkpoint the first one shared, and ends with the same frames.
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { startMoto, type MotoServer } from "../scripts/moto-server.mjs";
import { startPostgres, type PostgresServer } from "../scripts/postgres-server.mjs";
import { makeTempDir, solidPngBase64 } from "./helpers/engine.js";
import { outputFiles } from "./helpers/outputs.js";
import { motoClient } from "./helpers/moto.js";
import { PROJECT_ROOT, startNodeProcess, type ServerProcess } from "./helpers/server-process.js";
import { postJson, waitForJob } from "./helpers/service.js";
import { openSse } from "./helpers/sse.js";
import { fourSectionVideo, videoFramesOf } from "./helpers/videos.js";

const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");
const BUCKET = "framepack-cluster";

describe("a replica and an agent sharing only the database and the object store", () => {
  let postgres: PostgresServer;
  let moto: MotoServer;
  const processes: ServerProcess[] = [];
  let replica = "";
  let otherReplica = "";
  const agentDir = makeTempDir("cluster-agent");
  let agent: ServerProcess;
  let env: Record<string, string>;
  let s3: S3Client;

  beforeAll(async () => {
    [postgres, moto] = await Promise.all([startPostgres(), startMoto()]);
    s3 = await motoClient(moto, BUCKET);
    env = {
      FRAMEPACK_DATABASE_URL: postgres.url,
      FRAMEPACK_STORAGE_URL: `s3://${BUCKET}/test`,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot"),
      FRAMEPACK_AGENT_POLL_MS: "200",
    };
    const api = startNodeProcess([CLI, "serve", "--no-engines"], {
      ...env,
      FRAMEPACK_DATA_DIR: makeTempDir("cluster-replica"),
    });
    agent = startNodeProcess([CLI, "agent", "--port", "0"], {
      ...env,
      FRAMEPACK_DATA_DIR: agentDir,
      FRAMEPACK_DEVICE: "cpu",
    });
    const other = startNodeProcess([CLI, "serve", "--no-engines"], {
      ...env,
      FRAMEPACK_DATA_DIR: makeTempDir("cluster-other-replica"),
    });
    processes.push(api, other, agent);
    [replica, otherReplica] = await Promise.all([api.listening, other.listening, agent.listening]);
  }, 180_000);

  afterAll(async () => {
    s3.destroy();
    await Promise.all(processes.map((child) => child.stop()));
    await moto.stop();
    postgres.stop();
  });

  it(
    "runs a video on the agent, serves it from the store, and continues it",
    { timeout: 300_000 },
    async () => {
      onTestFailed(() => {
        for (const child of processes) console.error(child.logs.map((line) => line.msg).join("\n"));
      });
      const first = await postJson(`${replica}/api/generate-video`, {
        prompt: "waves",
        image: await solidPngBase64(64, 48, 90),
        sampling_mode: "forward",
        video_length: 0.8,
        latent_window_size: 3,
        steps: 2,
        width: 64,
        height: 64,
      });
      expect(first.status, JSON.stringify(first.body)).toBe(202);
      const video = await waitForJob(replica, first.body.job_id as string, undefined, 240_000);
      expect(video.status, JSON.stringify(video.error)).toBe("completed");
      const url = video.result?.video?.url ?? "";
      expect(url).toMatch(/\/attempt-1\/video\.mp4$/);
      const served = await fetch(`${replica}${url}`);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("video/mp4");
      // The agent's work folder is gone once the job is finished: the store holds it all.
      expect(outputFiles(agentDir).size).toBe(0);
      // A replica that stored nothing of the job serves its video (legacy route too) and input.
      const legacy = await fetch(`${otherReplica}/videos/${video.id}.mp4`);
      expect(legacy.status).toBe(200);
      expect(Buffer.from(await legacy.arrayBuffer()).length).toBeGreaterThan(1000);
      const input = await fetch(`${otherReplica}/api/jobs/${video.id}/inputs/image`);
      expect(input.status).toBe(200);
      expect(input.headers.get("content-type")).toBe("image/png");

      const next = await postJson(`${replica}/api/generate-video`, {
        prompt: "more waves",
        continue_from: video.id,
        sampling_mode: "forward",
        video_length: 0.8,
        latent_window_size: 3,
        steps: 2,
      });
      expect(next.status, JSON.stringify(next.body)).toBe(202);
      const continued = await waitForJob(replica, next.body.job_id as string, undefined, 240_000);
      expect(continued.status, JSON.stringify(continued.error)).toBe("completed");
      expect(continued.result?.video?.frames).toBeGreaterThan(video.result?.video?.frames ?? 0);
      expect(continued.result?.metadata).toMatchObject({ continued_from: video.id });
    },
  );

  it(
    "resumes a video stopped on one agent on another, from the checkpoint it shared",
    { timeout: 300_000 },
    async () => {
      onTestFailed(() => {
        for (const child of processes) console.error(child.logs.map((line) => line.msg).join("\n"));
      });
      const image = await solidPngBase64(64, 48, 60);
      const submit = async () => {
        const response = await postJson(
          `${replica}/api/generate-video`,
          fourSectionVideo(image, 5),
        );
        expect(response.status, JSON.stringify(response.body)).toBe(202);
        return response.body.job_id as string;
      };

      const id = await submit();
      // One section done (its checkpoint written): the agent is stopped (Ctrl-C).
      const events = await openSse(`${replica}/api/jobs/${id}/events`);
      const seen = await events.read((message) => {
        if (message.event === "done") return true;
        const { sections } = JSON.parse(message.data) as { sections?: { done: number } };
        return message.event === "progress" && (sections?.done ?? 0) >= 1;
      });
      expect(seen.at(-1)?.event, "the video ended before its agent was stopped").toBe("progress");
      await agent.stop();

      const next = startNodeProcess([CLI, "agent", "--port", "0"], {
        ...env,
        FRAMEPACK_DATA_DIR: makeTempDir("cluster-next-agent"),
        FRAMEPACK_DEVICE: "cpu",
      });
      processes.push(next);
      await next.listening;
      const resumed = await waitForJob(replica, id, undefined, 240_000);
      const metadata = resumed.result?.metadata as { resumed_at_section?: number };
      expect(metadata.resumed_at_section).toBeGreaterThanOrEqual(1);
      expect(resumed.attempts).toBe(1); // a stop costs no attempt
      // The shared checkpoint goes with the finished video (once its run has ended).
      const checkpointObjects = async () => {
        const listed = await s3.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `test/jobs/${id}/checkpoint/` }),
        );
        return listed.KeyCount ?? 0;
      };
      await expect.poll(checkpointObjects, { timeout: 10_000 }).toBe(0);

      // The same video, run through on the new agent: the same frames.
      const whole = await waitForJob(replica, await submit(), undefined, 240_000);
      expect(await videoFramesOf(replica, resumed)).toBe(await videoFramesOf(replica, whole));
    },
  );
});
