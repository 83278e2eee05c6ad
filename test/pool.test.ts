// The engine pool's bookkeeping with a scripted engine (no model needed): claims,
// a cancel that lands before the run starts, an engine gone before or during its run, and the
// heartbeat and stall watchdogs (test/fault-injection.test.ts hangs a real engine with SIGSTOP).
import { describe, expect, it, vi } from "vitest";
import { EngineExitedError, JobCancelledError } from "../src/engine/errors.js";
import { EnginePool } from "../src/engine/pool.js";
import { testLogger } from "./helpers/engine.js";
import { EngineDyingMidRun, EngineThatStalls, ScriptedEngine } from "./helpers/scripted-engine.js";

async function poolWith(
  engine: ScriptedEngine,
  {
    heartbeatTimeoutMs = 60_000,
    stallTimeoutMs = 60_000,
    restartDelayMs = 60_000,
    next = engine,
  } = {},
): Promise<EnginePool> {
  const engines = [engine, next];
  const pool = new EnginePool({
    ids: ["engine-0"],
    start: () => Promise.resolve(engines.shift() ?? next),
    heartbeatTimeoutMs,
    stallTimeoutMs,
    restartDelayMs: { initial: restartDelayMs, max: restartDelayMs },
    logger: testLogger,
  });
  await pool.start();
  return pool;
}

const plan = { kind: "probe", prompt: "x", image_path: "/x.png", width: 64, height: 64 } as const;

describe("the engine pool", () => {
  it("runs a claimed job and frees the engine", async () => {
    const engine = new ScriptedEngine();
    const pool = await poolWith(engine);
    expect(pool.claim("engine-0", "job-1")).toBe(true);
    expect(pool.claim("engine-0", "job-2")).toBe(false);
    await pool.run("engine-0", "job-1", plan);
    expect(engine.runs).toEqual(["job-1"]);
    expect(pool.idleSlotIds()).toEqual(["engine-0"]);
    await pool.stop();
  });

  it("honours a cancel that lands between claim and run without sending the plan", async () => {
    const engine = new ScriptedEngine();
    const pool = await poolWith(engine);
    pool.claim("engine-0", "job-1");
    expect(pool.cancel("job-1")).toBe(true);
    await expect(pool.run("engine-0", "job-1", plan)).rejects.toBeInstanceOf(JobCancelledError);
    expect(engine.runs).toEqual([]);
    expect(pool.idleSlotIds()).toEqual(["engine-0"]);
    await pool.stop();
  });

  it("kills an engine that stopped sending heartbeats and starts a new one", async () => {
    const hung = new ScriptedEngine();
    const fresh = new ScriptedEngine();
    const pool = await poolWith(hung, {
      heartbeatTimeoutMs: 1000,
      restartDelayMs: 10,
      next: fresh,
    });
    hung.lastEventAt = Date.now() - 5_000; // silent for longer than the timeout
    await hung.exited; // the watchdog (every 250 ms here) killed it
    await vi.waitFor(() => {
      expect(pool.slots()[0]).toMatchObject({ state: "idle", engine: fresh });
    });
    await pool.stop();
  });

  it("kills the engine of a run that stopped making progress, though its heartbeats go on", async () => {
    // Progress every 100 ms for 3 s keeps it alive past the 1.5 s limit; then it stalls.
    const stalling = new EngineThatStalls(30);
    const pool = await poolWith(stalling, {
      heartbeatTimeoutMs: 5000,
      stallTimeoutMs: 1500,
      restartDelayMs: 10,
      next: new ScriptedEngine(),
    });
    pool.claim("engine-0", "job-1");
    const started = Date.now();
    await expect(pool.run("engine-0", "job-1", plan)).rejects.toBeInstanceOf(EngineExitedError);
    expect(Date.now() - started).toBeGreaterThan(3000);
    await vi.waitFor(() => {
      expect(pool.slots()[0]).toMatchObject({ state: "idle", jobId: null });
    });
    await pool.stop();
  });

  it("offers an engine that died under a run to no other job", async () => {
    const pool = await poolWith(new EngineDyingMidRun());
    const offered: string[] = [];
    pool.on("idle", (slotId) => offered.push(slotId));
    pool.claim("engine-0", "job-1");
    await expect(pool.run("engine-0", "job-1", plan)).rejects.toBeInstanceOf(EngineExitedError);
    expect(offered).toEqual([]);
    expect(pool.slots()[0]?.state).toBe("down");
    await pool.stop();
  });

  it("restarts a killed engine without growing back-off while jobs keep it busy", async () => {
    const engines: ScriptedEngine[] = [];
    const pool = new EnginePool({
      ids: ["engine-0"],
      start: () =>
        Promise.resolve(engines[engines.push(new ScriptedEngine()) - 1] as ScriptedEngine),
      heartbeatTimeoutMs: 60_000,
      stallTimeoutMs: 60_000,
      restartDelayMs: { initial: 20, max: 60_000 },
      logger: testLogger,
    });
    // As the job service does: a waiting job claims the engine the moment it is idle.
    pool.on("idle", (slotId) => pool.claim(slotId, "waiting-job"));
    await pool.start();
    for (let kill = 0; kill < 8; kill++) {
      const started = Date.now();
      engines.at(-1)?.kill();
      await vi.waitFor(() => {
        expect(engines).toHaveLength(kill + 2);
      });
      // 20 ms each time; a back-off doubling per kill would be 5 s by the eighth.
      expect(Date.now() - started).toBeLessThan(1000);
    }
    await pool.stop();
  });

  it("reports an engine gone before its run as a retriable exit", async () => {
    const engine = new ScriptedEngine();
    const pool = await poolWith(engine);
    pool.claim("engine-0", "job-1");
    engine.kill();
    await engine.exited;
    await expect(pool.run("engine-0", "job-1", plan)).rejects.toBeInstanceOf(EngineExitedError);
    expect(pool.slots()[0]?.state).toBe("down");
    await pool.stop();
  });
});
