// A stand-in engine for the API benchmark: it accepts a job and holds it until the
// benchmark says otherwise, so the pool stays busy and every later submission waits in
// the queue. It never touches a model: what is measured is HTTP + store + queue.
import { EnginePool } from "../../dist/src/engine/pool.js";

const HELLO = {
  type: "hello",
  protocol_version: 1,
  engine_version: "bench",
  versions: { python: "-", torch: "-", diffusers: "-", transformers: "-" },
  device: { type: "cpu", name: "busy bench engine" },
  capabilities: { plan_kinds: ["image", "batch", "transfer", "video"] },
  memory: {},
  model_set: { tiny: true },
};

/**
 * An EngineHandle whose run() never finishes (the benchmark drives its progress), or
 * with `finishAfterMs` one that finishes every run after that long, with no files.
 */
export class BusyEngine {
  hello = HELLO;
  /** The job it holds and that job's progress callback, once it got one. */
  running = null;
  #exit;
  exited = new Promise((resolve) => {
    this.#exit = resolve;
  });

  #finishAfterMs;

  constructor(id, { finishAfterMs } = {}) {
    this.id = id;
    this.#finishAfterMs = finishAfterMs;
  }

  /** Always "just now": the pool's heartbeat watchdog never restarts it. */
  get lastEventAt() {
    return Date.now();
  }

  run(jobId, _plan, options = {}) {
    this.running = { jobId, onProgress: options.onProgress ?? (() => undefined) };
    const result = { type: "result", job_id: jobId, files: [], metadata: {} };
    const finishAfterMs = this.#finishAfterMs;
    if (finishAfterMs === undefined) return new Promise(() => undefined); // held until the process ends
    return new Promise((resolve) => setTimeout(() => resolve(result), finishAfterMs));
  }

  /** Reports one sampler step of the held job, as the engine's stdio reader would. */
  progress(step, total, info) {
    if (!this.running) throw new Error("the busy engine holds no job yet");
    const { jobId, onProgress } = this.running;
    onProgress({ type: "progress", job_id: jobId, phase: "sampling", step, total, info });
  }

  cancel() {}

  yield() {}

  status() {
    return Promise.resolve({ type: "status", state: this.running ? "busy" : "idle" });
  }

  onEvent() {
    return () => undefined;
  }

  shutdown() {
    this.kill();
    return this.exited;
  }

  kill() {
    this.#exit({ code: 0, signal: null });
  }
}

/** A pool of one busy engine (see BusyEngine for `options`), supervised by the real EnginePool. */
export function busyPool(logger, { id = "busy-0", ...options } = {}) {
  const engines = [];
  const pool = new EnginePool({
    ids: [id],
    start: (engineId) => {
      const engine = new BusyEngine(engineId, options);
      engines.push(engine);
      return Promise.resolve(engine);
    },
    heartbeatTimeoutMs: 3_600_000,
    stallTimeoutMs: 3_600_000,
    restartDelayMs: { initial: 100, max: 1000 },
    logger,
  });
  return { pool, engine: () => engines.at(-1) };
}
