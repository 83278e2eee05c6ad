// GET /api/jobs filtered (docs/api.md §2): by type, status, creation time (since/until)
// and prompt text (q: a literal substring of the prompt or of any batch prompt, ASCII
// case-insensitive), with keyset pagination still walking every match exactly once.
// Records are written straight into the store of a service without engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDefaults } from "../src/contract/defaults.js";
import { BatchImagesRequest } from "../src/contract/requests.js";
import { batchPlan, storedImageRecord } from "./helpers/plans.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

let service: AssembledService;
/** A time between the first and the last batch of records. */
let middle: string;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function insertImage(id: string, prompt: string): Promise<void> {
  await service.store.insert(storedImageRecord(id, prompt));
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

beforeAll(async () => {
  service = await assembleEngineFreeService();
  // Earlier: 12 lighthouses (one completed) and a literal "100%_sure" prompt.
  for (let n = 1; n <= 12; n++) await insertImage(uuid(n), `A Lighthouse number ${n}`);
  await service.store.start(uuid(1));
  await service.store.complete(uuid(1), { outputs: [], metadata: {} });
  await insertImage(uuid(13), "100%_sure of it");
  await insertImage(uuid(14), "1000 sure of it"); // what % and _ would match as wildcards
  await pause(20);
  middle = new Date().toISOString();
  await pause(20);
  // Later: a batch with the word in its second prompt only, and a plain image.
  const request = withDefaults(BatchImagesRequest, { prompts: ["a cat", "a LIGHTHOUSE at dawn"] });
  const batch = { ...request, control_images: undefined }; // as recorded: no pictures
  // The record keeps its plan without the output directory.
  const { output_dir: outputDir, ...plan } = batchPlan("", [
    { prompt: "a cat", seed: 1 },
    { prompt: "a LIGHTHOUSE at dawn", seed: 2 },
  ]);
  expect(outputDir).toBe("");
  await service.store.insert({
    id: uuid(15),
    legacyId: null,
    type: "batch_image",
    data: batch,
    plan,
    priority: 0,
    apiKeyHash: null,
    batchItems: [],
  });
  await insertImage(uuid(16), "a harbour");
});

afterAll(async () => {
  await service.close();
});

interface Page {
  jobs: { id: string; type: string; status: string }[];
  next_cursor: string | null;
}

async function list(query: Record<string, string>) {
  const response = await service.app.inject({
    method: "GET",
    url: "/api/jobs",
    query,
  });
  return { status: response.statusCode, body: response.json<Page & { error?: unknown }>() };
}

const ids = (page: Page) => page.jobs.map((job) => job.id);

describe("GET /api/jobs filters", () => {
  it("q finds a text in the prompt in either case, and in any prompt of a batch", async () => {
    const { status, body } = await list({ q: "lighthouse" });
    expect(status).toBe(200);
    expect(ids(body)).toEqual([15, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map(uuid));
  });

  it("q takes % and _ literally", async () => {
    expect(ids((await list({ q: "100%_sure" })).body)).toEqual([uuid(13)]);
    expect(ids((await list({ q: "%" })).body)).toEqual([uuid(13)]);
    expect(ids((await list({ q: "_" })).body)).toEqual([uuid(13)]);
    expect(ids((await list({ q: "\\" })).body)).toEqual([]);
  });

  it("pages through the matches of a search without losing or repeating one", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { q: "LIGHTHOUSE", type: "image", limit: "5" };
      if (cursor) query.cursor = cursor;
      const { status, body } = await list(query);
      expect(status).toBe(200);
      expect(body.jobs.length).toBeLessThanOrEqual(5);
      seen.push(...ids(body));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map(uuid));
  });

  it("combines type, status and search", async () => {
    expect(ids((await list({ q: "lighthouse", status: "completed" })).body)).toEqual([uuid(1)]);
    expect(ids((await list({ q: "lighthouse", type: "batch_image" })).body)).toEqual([uuid(15)]);
    expect(ids((await list({ type: "batch_image", status: "completed" })).body)).toEqual([]);
  });

  it("since and until split the list at a time; a day alone is its start in UTC", async () => {
    expect(ids((await list({ since: middle })).body)).toEqual([uuid(16), uuid(15)]);
    const before = ids((await list({ until: middle, limit: "200" })).body);
    expect(before).toHaveLength(14);
    expect(before).not.toContain(uuid(15));
    // The same instant in another zone.
    const shifted = new Date(middle).getTime() + 9 * 3600_000;
    const tokyo = `${new Date(shifted).toISOString().slice(0, 23)}+09:00`;
    expect(ids((await list({ since: tokyo })).body)).toEqual([uuid(16), uuid(15)]);
    const today = middle.slice(0, 10);
    const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
    expect((await list({ since: today, until: tomorrow, limit: "200" })).body.jobs).toHaveLength(
      16,
    );
    expect((await list({ since: tomorrow })).body.jobs).toEqual([]);
  });

  it("refuses a time it cannot read, naming the field", async () => {
    for (const [field, value] of [
      ["since", "yesterday"],
      ["until", "2026-02-30"],
      ["since", "2026-13-01T00:00:00Z"],
      ["until", "2026-12-01T10:00:00"], // no zone: whose ten o'clock?
    ] as const) {
      const { status, body } = await list({ [field]: value });
      expect(status, `${field}=${value}`).toBe(422);
      expect(body.error).toMatchObject({
        code: "validation_failed",
        details: [{ field: expect.stringContaining(field) as unknown }],
      });
    }
    const empty = await list({ q: "" });
    expect(empty.status).toBe(422);
  });
});
