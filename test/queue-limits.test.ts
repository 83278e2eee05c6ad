// Queue limits under concurrent submissions: each submission stores its images (awaited
// work) before it is queued, so the limits must count submissions still in flight, or a
// burst would overfill the queue. The per-key limit is for API keys only: without keys
// the queue's own length is the limit.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, writeTestImage } from "./helpers/engine.js";
import {
  assembleEngineFreeService,
  type AssembledService,
  type ServiceOverrides,
} from "./helpers/service.js";

const LIMIT = 3;
const BURST = 12;
const KEY = "queue-limits-test-key-0123456789abcdef";

/** An engine-free service whose every record takes a while to write. */
async function slowDiskService(overrides: ServiceOverrides): Promise<AssembledService> {
  const service = await assembleEngineFreeService(overrides);
  // A slow disk widens the window between a submission's admission and its place in
  // the queue.
  const insert = service.store.insert.bind(service.store);
  service.store.insert = async (draft) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return insert(draft);
  };
  return service;
}

/** The status codes of `count` concurrent submissions, sorted. */
async function burst(
  service: AssembledService,
  image: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      service.app.inject({
        method: "POST",
        url: "/api/generate-image",
        headers,
        payload: { prompt: `burst ${index}`, input_image: image, width: 128, height: 96 },
      }),
    ),
  );
  return answers.map((answer) => answer.statusCode).sort();
}

describe("a burst of concurrent submissions", () => {
  let image: string;
  const services: AssembledService[] = [];

  beforeAll(async () => {
    image = readFileSync(await writeTestImage(makeTempDir("burst"), 512, 512)).toString("base64");
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
  });

  it("fills a key's share of the queue to its limit and not beyond", async () => {
    const service = await slowDiskService({ maxQueuePerKey: LIMIT, apiKeys: [KEY] });
    services.push(service);
    expect(await burst(service, image, BURST, { "x-api-key": KEY })).toEqual([
      ...Array<number>(LIMIT).fill(202),
      ...Array<number>(BURST - LIMIT).fill(429),
    ]);
    const { jobs } = await service.jobs.list({ status: "pending", limit: 100 });
    expect(jobs).toHaveLength(LIMIT);
  });

  it("without API keys, fills the whole queue, not one key's share of it", async () => {
    const service = await slowDiskService({ maxQueuePerKey: LIMIT, maxQueueLength: 2 * LIMIT });
    services.push(service);
    const codes = await burst(service, image, BURST);
    expect(codes).toEqual([
      ...Array<number>(2 * LIMIT).fill(202),
      ...Array<number>(BURST - 2 * LIMIT).fill(503),
    ]);
    const refused = await service.app.inject({
      method: "POST",
      url: "/api/generate-image",
      payload: { prompt: "one more" },
    });
    expect(refused.json()).toMatchObject({ error: { code: "queue_full" } });
    expect(refused.json<{ error: { message: string } }>().error.message).not.toMatch(/key/i);
  });
});
