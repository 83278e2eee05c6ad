// Queue limits under concurrent submissions: each submission stores its images (awaited
// work) before it is queued, so the limit must count submissions still in flight, or a
// burst would overfill the queue.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, writeTestImage } from "./helpers/engine.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const LIMIT = 3;
const BURST = 12;

describe("a burst of concurrent submissions", () => {
  let service: AssembledService;
  let image: string;

  beforeAll(async () => {
    service = await assembleEngineFreeService({ maxQueuePerKey: LIMIT });
    // A slow disk: every record takes a while to write, which widens the window
    // between a submission's admission and its place in the queue.
    const insert = service.store.insert.bind(service.store);
    service.store.insert = async (draft) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return insert(draft);
    };
    image = readFileSync(await writeTestImage(makeTempDir("burst"), 512, 512)).toString("base64");
  });
  afterAll(async () => {
    await service.close();
  });

  it("fills the queue to its limit and not beyond", async () => {
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, index) =>
        service.app.inject({
          method: "POST",
          url: "/api/generate-image",
          payload: { prompt: `burst ${index}`, input_image: image, width: 128, height: 96 },
        }),
      ),
    );
    const codes = answers.map((answer) => answer.statusCode).sort();
    expect(codes).toEqual([
      ...Array<number>(LIMIT).fill(202),
      ...Array<number>(BURST - LIMIT).fill(429),
    ]);
    const { jobs } = await service.jobs.list({ status: "pending", limit: 100 });
    expect(jobs).toHaveLength(LIMIT);
  });
});
