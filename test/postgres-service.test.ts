// `framepack serve` on a PostgreSQL job store (FRAMEPACK_DATABASE_URL) with its own
// engine: the one-box transitions on the cluster's database, end to end with a real tiny
// engine, and the records still there for the next start (docs/cluster.md).
import { afterEach, describe, expect, it } from "vitest";
import {
  getJob,
  postJson,
  startTestService,
  waitForJob,
  type TestService,
} from "./helpers/service.js";
import { usePostgres } from "./helpers/postgres.js";

const postgres = usePostgres();

describe("the service on PostgreSQL", () => {
  const services: TestService[] = [];
  afterEach(async () => {
    for (const service of services.splice(0)) await service.close();
  });

  it("runs a job to its end and keeps its record for the next start", async () => {
    const databaseUrl = await postgres.freshDatabase();
    const first = await startTestService({ config: { databaseUrl } });
    services.push(first);
    const answer = await postJson(`${first.url}/api/generate-image`, {
      prompt: "a lighthouse",
      steps: 2,
      width: 64,
      height: 64,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const id = answer.body.job_id as string;
    const done = await waitForJob(first.url, id);
    expect(done).toMatchObject({ status: "completed", progress: 1 });
    expect(done.result?.images).toHaveLength(1);
    await first.close();
    services.pop();

    // Another data folder, the same database: the record is the database's.
    const second = await startTestService({ config: { databaseUrl } });
    services.push(second);
    expect(await getJob(second.url, id)).toMatchObject({ status: "completed", id });
    const list = (await (await fetch(`${second.url}/api/jobs?q=LIGHTHOUSE`)).json()) as {
      jobs: { id: string }[];
    };
    expect(list.jobs.map((job) => job.id)).toEqual([id]);
  });
});
