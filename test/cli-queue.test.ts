// The CLI's queue control (docs/api.md §6): `framepack queue pause|resume|status`,
// `framepack retry ID [--new-seed]` and `framepack delete ID`, run as users run them
// (the compiled CLI as a child process) against a service without engines, where jobs
// stay pending until cancelled.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers/server-process.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");

let service: AssembledService;
let url: string;

beforeAll(async () => {
  service = await assembleEngineFreeService();
  url = await service.app.listen({ host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await service.close();
});

async function framepack(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)("node", [CLI, ...args], {
      env: { ...process.env, FRAMEPACK_SERVER: url, FRAMEPACK_API_KEY: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function submitAndCancel(): Promise<string> {
  const submitted = await service.app.inject({
    method: "POST",
    url: "/api/generate-image",
    payload: { prompt: "a lighthouse", seed: 7 },
  });
  const id = submitted.json<{ job_id: string }>().job_id;
  await service.app.inject({ method: "POST", url: `/api/jobs/${id}/cancel` });
  return id;
}

describe("framepack queue", () => {
  it("pauses, shows and resumes the queue", async () => {
    const paused = await framepack("queue", "pause");
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout.trim()).toBe("paused: 0 waiting, 0 running");
    const status = await framepack("queue", "status", "--json");
    expect(JSON.parse(status.stdout)).toEqual({ paused: true, pending: 0, running: [] });
    const resumed = await framepack("queue", "resume");
    expect(resumed.stdout.trim()).toBe("running: 0 waiting, 0 running");
  });
});

describe("framepack retry and delete", () => {
  it("retries a cancelled job by its short id, and deletes only finished jobs", async () => {
    const id = await submitAndCancel();
    const retried = await framepack("retry", id.slice(0, 8), "--new-seed", "--json");
    expect(retried.code, retried.stderr).toBe(0);
    const answer = JSON.parse(retried.stdout) as { job_id: string; status: string };
    expect(answer.status).toBe("pending");
    expect(answer.job_id).not.toBe(id);
    const [before, after] = await Promise.all(
      [id, answer.job_id].map((jobId) => service.store.get(jobId)),
    );
    expect(after?.data).toEqual(before?.data);
    expect(after?.plan.kind === "image" && after.plan.seed).not.toBe(7);

    const refused = await framepack("delete", answer.job_id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/pending.*cancel it first/);

    const deleted = await framepack("delete", id.slice(0, 8));
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout.trim()).toBe(`${id.slice(0, 8)} deleted`);
    expect(await service.store.get(id)).toBeUndefined();
  });

  it("retries with the job's own seed unless asked for a new one", async () => {
    const id = await submitAndCancel();
    const retried = await framepack("retry", id);
    expect(retried.code, retried.stderr).toBe(0);
    const [newId, status] = retried.stdout.trim().split(" ");
    expect(status).toBe("pending");
    const record = await service.store.get(newId ?? "");
    expect(record?.plan.kind === "image" && record.plan.seed).toBe(7);
  });
});
