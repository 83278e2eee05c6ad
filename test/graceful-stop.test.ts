// A graceful stop (SIGTERM: a deploy, `systemctl restart`) is not a job's failure: a job
// it breaks goes back to the queue with its attempt given back, also when its engine does
// not answer the cancel and is killed. (test/durability.test.ts stops a real server whose
// engine does answer.)
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { withDefaults } from "../src/contract/defaults.js";
import { GenerateImageRequest } from "../src/contract/requests.js";
import { EnginePool } from "../src/engine/pool.js";
import { SqliteJobStore } from "../src/store/sqlite.js";
import { testLogger } from "./helpers/engine.js";
import { EngineThatStalls } from "./helpers/scripted-engine.js";
import { assembleTestService } from "./helpers/service.js";

/** Mid-run, it answers a stop only by being killed; its run fails before its exit is seen,
 * as a child process's output ends before its 'exit' event. */
class EngineKilledAtStop extends EngineThatStalls {
  override async shutdown() {
    this.kill();
    await new Promise((resolve) => setTimeout(resolve, 100));
    return this.exited;
  }
}

describe("a graceful stop", () => {
  it("gives a job its attempt back though its engine had to be killed", async () => {
    const engine = new EngineKilledAtStop(0);
    const pool = new EnginePool({
      ids: ["engine-0"],
      start: () => Promise.resolve(engine),
      heartbeatTimeoutMs: 60_000,
      stallTimeoutMs: 60_000,
      restartDelayMs: { initial: 60_000, max: 60_000 },
      logger: testLogger,
    });
    const service = await assembleTestService(pool, {});
    const job = await service.jobs.createImage(
      withDefaults(GenerateImageRequest, { prompt: "x" }),
      { apiKeyHash: null },
    );
    await vi.waitFor(() => {
      expect(engine.runs).toEqual([job.id]);
    });
    await service.close();

    const store = SqliteJobStore.open(join(service.dataDir, "jobs.sqlite"));
    try {
      expect(await store.get(job.id)).toMatchObject({
        status: "pending",
        attempts: 0,
        error: { code: "interrupted" },
      });
    } finally {
      await store.close();
    }
  });
});
