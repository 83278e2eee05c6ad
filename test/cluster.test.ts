// Cluster mode end to end (docs/cluster.md): a throwaway PostgreSQL, two API replicas
// (`serve --no-engines`) and three agents with real tiny engines, every one its own
// process on 127.0.0.1 sharing one data folder. Work submitted to replica A is watched on
// replica B; an agent killed with SIGKILL mid-job loses the job to another agent.
import { join } from "node:path";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  inject,
  it,
  onTestFailed,
} from "vitest";
import { createFramePackClient } from "../src/client/index.js";
import { makeTempDir, solidPngBase64 } from "./helpers/engine.js";
import { isTempOutput, outputFiles } from "./helpers/outputs.js";
import { startPostgres, type PostgresServer } from "../scripts/postgres-server.mjs";
import { PROJECT_ROOT, startNodeProcess, type ServerProcess } from "./helpers/server-process.js";
import { getJob, postJson, waitForJob } from "./helpers/service.js";

const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");

interface SystemAgents {
  agents: { id: string; engines: { id: string; state: string; job: string | null }[] }[];
}

describe("a cluster of two replicas and three agents", () => {
  let postgres: PostgresServer;
  const processes: ServerProcess[] = [];
  const agents: ServerProcess[] = [];
  let replicaA = "";
  let replicaB = "";
  let agentUrls: string[] = [];
  const dataDir = makeTempDir("cluster");

  beforeAll(async () => {
    postgres = await startPostgres();
    const env = {
      FRAMEPACK_DATABASE_URL: postgres.url,
      FRAMEPACK_DATA_DIR: dataDir,
      FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot"),
      // Short leases, so that a killed agent's job is taken back within seconds.
      FRAMEPACK_LEASE_S: "3",
      FRAMEPACK_AGENT_POLL_MS: "200",
    };
    const replicas = [0, 1].map(() => startNodeProcess([CLI, "serve", "--no-engines"], env));
    for (let index = 0; index < 3; index++) {
      agents.push(
        startNodeProcess([CLI, "agent", "--port", "0"], { ...env, FRAMEPACK_DEVICE: "cpu" }),
      );
    }
    processes.push(...replicas, ...agents);
    const urls = await Promise.all(replicas.map((replica) => replica.listening));
    replicaA = urls[0] ?? "";
    replicaB = urls[1] ?? "";
    agentUrls = await Promise.all(agents.map((agent) => agent.listening));
  }, 180_000);

  beforeEach(() => {
    onTestFailed(() => {
      // What each process did, for a failure that is a hang.
      for (const child of processes) {
        console.error(`--- ${String(child.child.pid)}`);
        console.error(child.logs.map((line) => line.msg).join("\n"));
      }
    });
  });

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    postgres.stop();
  });

  it("lists every agent and its engine in /api/system of either replica; agents serve health and metrics", async () => {
    const system = (await (await fetch(`${replicaB}/api/system`)).json()) as SystemAgents;
    expect(system.agents).toHaveLength(3);
    for (const agent of system.agents) expect(agent.engines).toHaveLength(1);
    // Each agent answers its own /health and /metrics.
    for (const url of agentUrls) {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^framepack_engines_up 1$/m);
    }
  });

  it("runs a mixed workload submitted to A and watched on B", { timeout: 300_000 }, async () => {
    const submissions = [
      postJson(`${replicaA}/api/generate-image`, {
        prompt: "a cat",
        steps: 2,
        width: 64,
        height: 64,
      }),
      postJson(`${replicaA}/api/generate-image`, {
        prompt: "a dog",
        steps: 2,
        width: 64,
        height: 64,
      }),
      postJson(`${replicaA}/api/batch-images`, {
        prompts: ["one", "two", "three"],
        steps: 2,
        width: 64,
        height: 64,
        batch_size: 1,
      }),
      postJson(`${replicaA}/api/generate-video`, {
        prompt: "waves",
        image: await solidPngBase64(64, 48, 90),
        video_length: 0.8,
        latent_window_size: 3,
        steps: 2,
        width: 64,
        height: 64,
      }),
    ];
    const ids = (await Promise.all(submissions)).map((response) => {
      expect(response.status).toBe(202);
      return response.body.job_id as string;
    });
    const client = createFramePackClient({ baseUrl: replicaB });
    for (const id of ids) {
      let last: { event: string; data: unknown } | undefined;
      for await (const event of client.events(id)) last = event;
      expect(last).toMatchObject({ event: "done", data: { id, status: "completed" } });
    }
    const batch = await waitForJob(replicaB, ids[2] ?? "");
    expect(batch.result?.images).toHaveLength(3);
    const video = await waitForJob(replicaB, ids[3] ?? "");
    const output = await fetch(`${replicaB}${video.result?.video?.url ?? "/missing"}`);
    expect(output.status).toBe(200);
  });

  it("pauses the whole cluster from one replica; the other shows the queue's positions", async () => {
    expect((await fetch(`${replicaA}/api/queue/pause`, { method: "POST" })).status).toBe(200);
    const ids: string[] = [];
    for (const prompt of ["first in line", "second in line"]) {
      const response = await postJson(`${replicaA}/api/generate-image`, {
        prompt,
        steps: 2,
        width: 64,
        height: 64,
      });
      ids.push(response.body.job_id as string);
    }
    // B reads the queue once a second; no agent claims while the queue is paused.
    const [first, second] = [ids[0] ?? "", ids[1] ?? ""];
    await waitForJob(replicaB, second, (job) => job.queue_position === 1, 10_000);
    expect(await getJob(replicaB, first)).toMatchObject({ status: "pending", queue_position: 0 });
    expect((await fetch(`${replicaB}/api/queue/resume`, { method: "POST" })).status).toBe(200);
    for (const id of ids) expect((await waitForJob(replicaB, id)).status).toBe("completed");
  });

  it("answers Prefer: wait with the finished record, whichever agent ran it", async () => {
    const response = await fetch(`${replicaB}/api/generate-image`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "wait=60" },
      body: JSON.stringify({ prompt: "waited for", steps: 2, width: 64, height: 64 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "completed" });
  });

  it(
    "stops a running job cancelled on the other replica within a lease renewal",
    { timeout: 120_000 },
    async () => {
      const response = await postJson(`${replicaA}/api/generate-image`, {
        prompt: "cancelled",
        steps: 100,
        width: 320,
        height: 320,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      const id = response.body.job_id as string;
      await waitForJob(replicaB, id, (job) => job.status === "processing");
      const pid = await agentRunning(replicaB, id);
      const cancelled = await fetch(`${replicaB}/api/jobs/${id}/cancel`, { method: "POST" });
      expect(cancelled.status).toBe(200);
      expect((await getJob(replicaA, id)).status).toBe("cancelled");
      // The agent's engine is free again within a renewal (a third of the 3 s lease) or so.
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (await enginesRunning(replicaB, id)) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await enginesRunning(replicaB, id)).toBe(0);
      const agent = agents.find((candidate) => candidate.child.pid === pid);
      // Told by its lease renewal, or sooner by a refused progress write.
      expect(agent?.logs.some((line) => line.msg.startsWith("stopping the job"))).toBe(true);
    },
  );

  it(
    "finishes the job of an agent killed with SIGKILL on another agent",
    { timeout: 300_000 },
    async () => {
      const response = await postJson(`${replicaA}/api/generate-image`, {
        prompt: "interrupted",
        steps: 60,
        width: 256,
        height: 256,
      });
      const id = response.body.job_id as string;
      await waitForJob(replicaB, id, (job) => job.status === "processing");
      const pid = await agentRunning(replicaB, id);
      const victim = agents.find((agent) => agent.child.pid === pid);
      expect(victim).toBeDefined();
      victim?.child.kill("SIGKILL");
      const job = await waitForJob(replicaB, id, undefined, 240_000);
      expect(job).toMatchObject({ status: "completed", attempts: 2 });
      expect(job.result?.images).toHaveLength(1);
      // One whole picture on disk: no second copy, no half-written file of the killed run.
      const files = outputFiles(dataDir).get(id) ?? [];
      expect(files.filter((path) => path.endsWith(".png"))).toHaveLength(1);
      expect(files.filter(isTempOutput)).toEqual([]);
    },
  );
});

/** How many engines of the cluster report running the job. */
async function enginesRunning(replica: string, jobId: string): Promise<number> {
  const system = (await (await fetch(`${replica}/api/system`)).json()) as SystemAgents;
  return system.agents.flatMap((agent) => agent.engines).filter((engine) => engine.job === jobId)
    .length;
}

/** The process id of the agent that runs the job, from /api/system (agent ids are host:pid:...). */
async function agentRunning(replica: string, jobId: string): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const system = (await (await fetch(`${replica}/api/system`)).json()) as SystemAgents;
    const agent = system.agents.find((candidate) =>
      candidate.engines.some((engine) => engine.job === jobId),
    );
    const pid = Number(agent?.id.split(":")[1]);
    if (Number.isInteger(pid)) return pid;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no agent reported running ${jobId}`);
}
