// Short job ids (docs/api.md §4): the first 8 (or more) hex digits of an id name the job
// on GET /api/jobs/{id}, its cancel and its events when they name exactly one; several
// are 409 ambiguous_id, fewer than 8 characters a 404 saying so; and with API keys only
// the caller's own jobs count (an admin's: every job). Jobs with chosen ids are written
// straight into the store of a service without engines, so nothing runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyHash } from "../src/api/auth.js";
import { storedImageJob } from "./helpers/plans.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const KEY_A = "short-ids-a-0123456789abcdef0123456789abcdef";
const KEY_B = "short-ids-b-0123456789abcdef0123456789abcdef";
const ADMIN = "short-ids-admin-0123456789abcdef0123456789ab";

// Two of A's jobs share their first 8 digits (and 4 more); B's shares A's unique one's.
const A_UNIQUE = "8801f0d9-0000-4000-8000-000000000001";
const A_TWIN_1 = "77aa55cc-1234-4000-8000-000000000001";
const A_TWIN_2 = "77aa55cc-1234-4000-8000-000000000002";
const B_SAME_START = "8801f0d9-ffff-4000-8000-000000000003";

let service: AssembledService;

beforeAll(async () => {
  service = await assembleEngineFreeService({ apiKeys: [KEY_A, KEY_B], adminKeys: [ADMIN] });
  const owners: [string, string][] = [
    [A_UNIQUE, KEY_A],
    [A_TWIN_1, KEY_A],
    [A_TWIN_2, KEY_A],
    [B_SAME_START, KEY_B],
  ];
  for (const [id, key] of owners) {
    await service.store.insert({
      id,
      legacyId: null,
      type: "image",
      ...storedImageJob(`prompt of ${id}`),
      priority: 0,
      apiKeyHash: apiKeyHash(key),
      batchItems: null,
    });
  }
});

afterAll(async () => {
  await service.close();
});

async function get(path: string, key: string) {
  const response = await service.app.inject({
    method: "GET",
    url: path,
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

const errorOf = (body: Record<string, unknown>) => body.error as { code: string; message: string };

describe("GET /api/jobs/{id} with the start of an id", () => {
  it("names the one job of the caller it starts, with 8 digits or more", async () => {
    for (const start of ["8801f0d9", "8801F0D9", "8801f0d9-0", "8801f0d9-0000-4000"]) {
      const { status, body } = await get(`/api/jobs/${start}`, KEY_A);
      expect(status, start).toBe(200);
      expect(body.id).toBe(A_UNIQUE);
    }
    expect((await get(`/api/jobs/${A_UNIQUE}`, KEY_A)).body.id).toBe(A_UNIQUE);
  });

  it("refuses a start that names several jobs with 409 ambiguous_id, and takes a longer one", async () => {
    const { status, body } = await get("/api/jobs/77aa55cc", KEY_A);
    expect(status).toBe(409);
    expect(errorOf(body).code).toBe("ambiguous_id");
    expect(errorOf(body).message).toMatch(/77aa55cc.*more than one job/);
    expect((await get("/api/jobs/77aa55cc-1234-4000-8000-000000000002", KEY_A)).body.id).toBe(
      A_TWIN_2,
    );
  });

  it("refuses fewer than 8 characters with 404, saying that 8 are needed", async () => {
    const { status, body } = await get("/api/jobs/8801f0d", KEY_A);
    expect(status).toBe(404);
    expect(errorOf(body).code).toBe("not_found");
    expect(errorOf(body).message).toMatch(/at least its first 8 characters/);
    expect((await get("/api/jobs/zzzzzzzz", KEY_A)).status).toBe(404);
  });

  it("matches only the caller's own jobs: another key's job neither answers nor makes a start ambiguous", async () => {
    // A and B both have a job starting 8801f0d9: each gets its own.
    expect((await get("/api/jobs/8801f0d9", KEY_A)).body.id).toBe(A_UNIQUE);
    expect((await get("/api/jobs/8801f0d9", KEY_B)).body.id).toBe(B_SAME_START);
    // B has no job starting 77aa55cc: not found, not ambiguous.
    const other = await get("/api/jobs/77aa55cc", KEY_B);
    expect(other.status).toBe(404);
    expect(errorOf(other.body).code).toBe("not_found");
    expect((await get(`/api/jobs/8801f0d9-0000`, KEY_B)).status).toBe(404);
  });

  it("an admin key sees every job, so a start shared across keys is ambiguous to it", async () => {
    const { status, body } = await get("/api/jobs/8801f0d9", ADMIN);
    expect(status).toBe(409);
    expect(errorOf(body).code).toBe("ambiguous_id");
    expect((await get("/api/jobs/8801f0d9-f", ADMIN)).body.id).toBe(B_SAME_START);
  });
});

describe("the other routes that name a job", () => {
  it("cancel takes a short id, and answers the whole record", async () => {
    const response = await service.app.inject({
      method: "POST",
      url: "/api/jobs/8801f0d9/cancel",
      headers: { authorization: `Bearer ${KEY_B}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: B_SAME_START, status: "cancelled" });
    const ambiguous = await service.app.inject({
      method: "POST",
      url: "/api/jobs/77aa55cc/cancel",
      headers: { authorization: `Bearer ${KEY_A}` },
    });
    expect(ambiguous.statusCode).toBe(409);
    expect(errorOf(ambiguous.json()).code).toBe("ambiguous_id");
  });

  it("the event stream takes a short id", async () => {
    // B's job was cancelled above: its stream is one done event with the record.
    const response = await service.app.inject({
      method: "GET",
      url: "/api/jobs/8801f0d9-ff/events",
      headers: { authorization: `Bearer ${KEY_B}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("event: done");
    expect(response.body).toContain(B_SAME_START);
  });
});
