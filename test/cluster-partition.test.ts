// A GPU host cut off from the cluster's database (docs/cluster.md "Leases"): an agent in
// a network namespace of its own runs a job; the link is cut, its renewals go unanswered
// and it stops the job itself when the lease runs out by its clock; another agent takes
// the job and finishes it; once the link is back, the cut-off agent records nothing. Needs root (network namespaces); skipped with the
// reason where they are not allowed.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startPostgres, type PostgresServer } from "../scripts/postgres-server.mjs";
import { makeTempDir } from "./helpers/engine.js";
import { createPartitionableLink, type PartitionableLink } from "./helpers/netns.js";
import { PROJECT_ROOT, startNodeProcess, type ServerProcess } from "./helpers/server-process.js";
import { getJob, postJson, waitForJob } from "./helpers/service.js";

const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");
const link = createPartitionableLink();
const skipped = typeof link === "string" ? link : undefined;
if (skipped) console.warn(`skipping the partition test: ${skipped}`);

describe.skipIf(skipped !== undefined)("an agent cut off from the database", () => {
  const cut = link as PartitionableLink;
  let postgres: PostgresServer;
  const processes: ServerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    postgres = await startPostgres({ extraAddress: cut.hostAddress, trustedSubnet: cut.subnet });
    env = {
      FRAMEPACK_DATABASE_URL: postgres.url,
      FRAMEPACK_DATA_DIR: makeTempDir("cluster-partition"),
      FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot"),
      FRAMEPACK_LEASE_S: "2",
      FRAMEPACK_AGENT_POLL_MS: "200",
    };
  });

  afterAll(async () => {
    cut.heal();
    await Promise.all(processes.map((child) => child.stop()));
    postgres.stop();
    cut.remove();
  });

  function start(args: string[], extra: Record<string, string> = {}, prefix: string[] = []) {
    const child = startNodeProcess([CLI, ...args], { ...env, ...extra }, prefix);
    processes.push(child);
    return child;
  }

  it(
    "loses its job to another agent and cannot record it afterwards",
    { timeout: 300_000 },
    async () => {
      const replica = start(["serve", "--no-engines"]);
      const url = await replica.listening;
      // The cut-off agent reaches the database over the namespace's link only.
      const overLink = new URL(postgres.url);
      overLink.hostname = cut.hostAddress;
      const isolated = start(
        ["agent", "--port", "0"],
        { FRAMEPACK_DEVICE: "cpu", FRAMEPACK_DATABASE_URL: overLink.toString() },
        cut.exec,
      );
      await isolated.listening;
      const response = await postJson(`${url}/api/generate-image`, {
        prompt: "cut off",
        steps: 40,
        width: 256,
        height: 256,
      });
      const id = response.body.job_id as string;
      await waitForJob(url, id, (job) => job.status === "processing");

      cut.cut();
      const other = start(["agent", "--port", "0"], { FRAMEPACK_DEVICE: "cpu" });
      await other.listening;
      // Cut off, the agent stops the job itself once its 2 s lease has run out unrenewed.
      const stoppedItself = () =>
        isolated.logs.some((line) => /no renewal reached the database in time/.test(line.msg));
      const deadline = Date.now() + 30_000;
      while (!stoppedItself() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(stoppedItself()).toBe(true);
      const finished = await waitForJob(url, id, undefined, 240_000);
      expect(finished).toMatchObject({ status: "completed", attempts: 2 });

      // Back on the link (its heartbeat reaches the database again), the agent has
      // recorded nothing: the job stays as the other agent finished it.
      cut.heal();
      const healedAt = Date.now();
      const allHeardSince = async () => {
        const system = (await (await fetch(`${url}/api/system`)).json()) as {
          agents: { heartbeat_at: string }[];
        };
        return system.agents.every((agent) => Date.parse(agent.heartbeat_at) > healedAt);
      };
      const backBy = Date.now() + 30_000;
      while (!(await allHeardSince()) && Date.now() < backBy) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await allHeardSince()).toBe(true);
      const after = await getJob(url, id);
      expect(after).toMatchObject({ status: "completed", attempts: 2 });
      expect(after.result).toEqual(finished.result);
    },
  );
});
