// Queue control under API keys (docs/api.md §8): a tenant key reorders, retries and
// deletes only its own jobs (another key's are 404, as if they did not exist) and may not
// pause the queue (403 admin_only); an admin key acts on every job and may pause. Jobs
// stay pending in a service without engines until cancelled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const KEY_A = "queue-tenancy-a-0123456789abcdef0123456789ab";
const KEY_B = "queue-tenancy-b-0123456789abcdef0123456789ab";
const ADMIN = "queue-tenancy-admin-0123456789abcdef01234567";

let service: AssembledService;

beforeAll(async () => {
  service = await assembleEngineFreeService({ apiKeys: [KEY_A, KEY_B], adminKeys: [ADMIN] });
});

afterAll(async () => {
  await service.close();
});

async function call(
  key: string,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  payload?: object,
) {
  const response = await service.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(payload ? { payload } : {}),
  });
  return {
    status: response.statusCode,
    body: response.body ? response.json<Record<string, unknown>>() : {},
  };
}

const submit = async (key: string) =>
  (await call(key, "POST", "/api/generate-image", { prompt: "mine" })).body.job_id as string;

describe("queue control with API keys", () => {
  it("lets a key act on its own jobs only; another key's are 404, an admin's are not", async () => {
    const mine = await submit(KEY_A);
    expect((await call(KEY_B, "PATCH", `/api/jobs/${mine}`, { priority: 3 })).status).toBe(404);
    expect((await call(KEY_A, "PATCH", `/api/jobs/${mine}`, { priority: 3 })).status).toBe(200);
    expect((await call(ADMIN, "PATCH", `/api/jobs/${mine}`, { priority: 4 })).body.priority).toBe(
      4,
    );

    await call(KEY_A, "POST", `/api/jobs/${mine}/cancel`);
    expect((await call(KEY_B, "POST", `/api/jobs/${mine}/retry`)).status).toBe(404);
    expect((await call(KEY_B, "DELETE", `/api/jobs/${mine}`)).status).toBe(404);
    const retried = await call(KEY_A, "POST", `/api/jobs/${mine}/retry`);
    expect(retried.status).toBe(202);
    // The retry is the retrying key's job.
    const retryId = retried.body.job_id as string;
    expect((await call(KEY_A, "GET", `/api/jobs/${retryId}`)).status).toBe(200);
    expect((await call(KEY_B, "GET", `/api/jobs/${retryId}`)).status).toBe(404);
    expect((await call(ADMIN, "DELETE", `/api/jobs/${mine}`)).status).toBe(204);
    await call(KEY_A, "POST", `/api/jobs/${retryId}/cancel`);
  });

  it("lets only an admin key pause and resume; each key sees its own part of the queue", async () => {
    await submit(KEY_A);
    await submit(KEY_A);
    await submit(KEY_B);
    const refused = await call(KEY_A, "POST", "/api/queue/pause");
    expect(refused.status).toBe(403);
    expect((refused.body.error as { code: string }).code).toBe("admin_only");
    expect((await call(ADMIN, "POST", "/api/queue/pause")).body).toMatchObject({
      paused: true,
      pending: 3,
    });
    expect((await call(KEY_A, "GET", "/api/queue")).body).toEqual({
      paused: true,
      pending: 2,
      running: [],
    });
    expect((await call(KEY_B, "GET", "/api/queue")).body).toMatchObject({ pending: 1 });
    expect((await call(KEY_B, "POST", "/api/queue/resume")).status).toBe(403);
    expect((await call(ADMIN, "POST", "/api/queue/resume")).body).toMatchObject({ paused: false });
  });
});
