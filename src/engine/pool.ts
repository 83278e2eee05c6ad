// N engines from configuration, each supervised: started, watched by a heartbeat
// watchdog, restarted with back-off after a crash or a hang. Heartbeats come from
// their own thread in the engine, so they prove the process alive, not the job
// moving: a run that reports no progress for too long (a deadlocked worker, a hung
// CUDA call) gets its engine killed too. A job running on an engine that dies fails
// its run() with EngineExitedError; the caller decides whether to retry it.
import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import { EngineExitedError, JobCancelledError } from "./errors.js";
import type { EngineHandle, RunOptions } from "./handle.js";
import type { Plan, ResultEvent } from "./protocol.js";

export type SlotState = "starting" | "idle" | "busy" | "down";

export interface PoolOptions {
  ids: readonly string[];
  start: (id: string) => Promise<EngineHandle>;
  /** An engine silent for longer than this is killed and restarted. */
  heartbeatTimeoutMs: number;
  /** A run that reports no progress for longer than this has its engine killed. */
  stallTimeoutMs: number;
  restartDelayMs: { initial: number; max: number };
  logger: Logger;
}

interface Slot {
  id: string;
  state: SlotState;
  engine: EngineHandle | undefined;
  jobId: string | null;
  /** The claimed job was cancelled before its run began. */
  cancelled: boolean;
  failures: number;
  lastError: string | null;
  /** When the running plan last reported progress (or began); 0 while none runs. */
  lastProgressAt: number;
}

export interface SlotView {
  id: string;
  state: SlotState;
  engine: EngineHandle | undefined;
  jobId: string | null;
  lastError: string | null;
}

export class EnginePool extends EventEmitter<{ idle: [slotId: string] }> {
  readonly #options: PoolOptions;
  readonly #slots: Slot[];
  #watchdog: NodeJS.Timeout | undefined;
  #stopping = false;
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  readonly #killed = new WeakSet<EngineHandle>();

  constructor(options: PoolOptions) {
    super();
    this.#options = options;
    this.#slots = options.ids.map((id) => ({
      id,
      state: "down",
      engine: undefined,
      jobId: null,
      cancelled: false,
      failures: 0,
      lastError: null,
      lastProgressAt: 0,
    }));
  }

  /** Starts every engine; resolves once each has said hello or failed its first start. */
  async start(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => this.#launch(slot)));
    const { heartbeatTimeoutMs, stallTimeoutMs } = this.#options;
    const interval = Math.max(250, Math.min(heartbeatTimeoutMs, stallTimeoutMs) / 4);
    this.#watchdog = setInterval(() => {
      this.#checkHeartbeats();
    }, interval);
    this.#watchdog.unref();
  }

  slots(): SlotView[] {
    return this.#slots.map(({ id, state, engine, jobId, lastError }) => ({
      id,
      state,
      engine,
      jobId,
      lastError,
    }));
  }

  idleSlotIds(): string[] {
    return this.#slots.filter((slot) => slot.state === "idle").map((slot) => slot.id);
  }

  /** Reserves an idle engine for a job about to start; false when it is not idle. */
  claim(slotId: string, jobId: string): boolean {
    const slot = this.#slot(slotId);
    if (slot.state !== "idle") return false;
    slot.state = "busy";
    slot.jobId = jobId;
    slot.cancelled = false;
    return true;
  }

  /** Gives a claimed engine back without running anything on it. */
  release(slotId: string, jobId: string): void {
    const slot = this.#slot(slotId);
    if (slot.jobId === jobId) this.#release(slot);
  }

  /** Runs a plan on a claimed engine, which is released when the promise settles. */
  async run(slotId: string, jobId: string, plan: Plan, options: RunOptions = {}): Promise<ResultEvent> {
    const slot = this.#slot(slotId);
    // The claim is gone when the engine died (and maybe restarted) since: retriable.
    if (slot.jobId !== jobId || slot.state !== "busy" || !slot.engine) {
      if (slot.jobId === jobId) this.#release(slot);
      throw new EngineExitedError(slotId, null, null, [slot.lastError ?? "engine gone"]);
    }
    const engine = slot.engine;
    try {
      // A cancel between claim and run: nothing is sent.
      if (slot.cancelled) throw new JobCancelledError(jobId);
      return await engine.run(jobId, plan, this.#watched(slot, options));
    } catch (error) {
      // The engine died under the run. Mark the slot down now: released as idle before
      // the exit is handled, it would be claimed for the next job, which would then
      // fail at once and lose an attempt to a crash it never ran into.
      if (error instanceof EngineExitedError) this.#onExit(slot, engine);
      throw error;
    } finally {
      this.#release(slot);
    }
  }

  /** Forwards a cancel to the engine claimed for the job; false when none is. */
  cancel(jobId: string): boolean {
    const slot = this.#slots.find((candidate) => candidate.jobId === jobId);
    if (!slot) return false;
    slot.cancelled = true;
    slot.engine?.cancel(jobId);
    return true;
  }

  /** Forwards a yield request to the engine running the job; false when none is. */
  yield(jobId: string): boolean {
    const slot = this.#slots.find((candidate) => candidate.jobId === jobId);
    if (!slot?.engine) return false;
    slot.engine.yield(jobId);
    return true;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#watchdog);
    for (const timer of this.#restartTimers) clearTimeout(timer);
    await Promise.all(this.#slots.map((slot) => slot.engine?.shutdown() ?? Promise.resolve()));
  }

  /** The run's callbacks, each also telling the stall watchdog that the job moves. */
  #watched(slot: Slot, options: RunOptions): RunOptions {
    slot.lastProgressAt = Date.now();
    const moved = () => {
      slot.lastProgressAt = Date.now();
    };
    return {
      ...options,
      onProgress: (event) => {
        moved();
        options.onProgress?.(event);
      },
      onItemResult: (event) => {
        moved();
        options.onItemResult?.(event);
      },
      onCheckpoint: (event) => {
        moved();
        options.onCheckpoint?.(event);
      },
    };
  }

  /** Back to idle after a run, unless the engine died meanwhile (then it restarts). */
  #release(slot: Slot): void {
    slot.jobId = null;
    slot.lastProgressAt = 0;
    if (slot.state !== "busy") return;
    slot.state = "idle";
    this.emit("idle", slot.id);
  }

  #slot(id: string): Slot {
    const slot = this.#slots.find((candidate) => candidate.id === id);
    if (!slot) throw new Error(`no engine ${id}`);
    return slot;
  }

  async #launch(slot: Slot): Promise<void> {
    slot.state = "starting";
    const logger = this.#options.logger.child({ engine: slot.id });
    try {
      const engine = await this.#options.start(slot.id);
      if (this.#stopping) {
        await engine.shutdown(); // the pool stopped while this engine started
        return;
      }
      slot.engine = engine;
      slot.state = "idle";
      slot.lastError = null;
      // Started: the back-off is for starts that fail or engines that die at once.
      slot.failures = 0;
      void engine.exited.then(() => {
        this.#onExit(slot, engine);
      });
      logger.info({ device: engine.hello.device, modelSet: engine.hello.model_set }, "engine ready");
      this.emit("idle", slot.id);
    } catch (error) {
      slot.lastError = (error as Error).message;
      logger.error({ err: error }, "engine failed to start");
      this.#scheduleRestart(slot);
    }
  }

  #onExit(slot: Slot, engine: EngineHandle): void {
    if (slot.engine !== engine || this.#stopping) return;
    slot.engine = undefined;
    slot.jobId = null;
    slot.lastProgressAt = 0;
    slot.cancelled = false;
    slot.lastError = "engine exited";
    this.#scheduleRestart(slot);
  }

  #scheduleRestart(slot: Slot): void {
    if (this.#stopping) return;
    slot.state = "down";
    const { initial, max } = this.#options.restartDelayMs;
    const delay = Math.min(max, initial * 2 ** slot.failures);
    slot.failures += 1;
    this.#options.logger.warn({ engine: slot.id, delayMs: delay }, "restarting engine");
    const timer = setTimeout(() => {
      this.#restartTimers.delete(timer);
      void this.#launch(slot);
    }, delay).unref();
    this.#restartTimers.add(timer);
  }

  #checkHeartbeats(): void {
    const now = Date.now();
    const { heartbeatTimeoutMs, stallTimeoutMs, logger } = this.#options;
    for (const slot of this.#slots) {
      const engine = slot.engine;
      // Killed already: its exit is on the way (one kill, one log line).
      if (!engine || this.#killed.has(engine)) continue;
      const silentMs = now - engine.lastEventAt;
      const stalledMs = slot.lastProgressAt === 0 ? 0 : now - slot.lastProgressAt;
      if (silentMs > heartbeatTimeoutMs) {
        logger.error(
          { engine: slot.id, job: slot.jobId, silentMs },
          "engine stopped sending heartbeats; killing it",
        );
      } else if (stalledMs > stallTimeoutMs) {
        logger.error(
          { engine: slot.id, job: slot.jobId, stalledMs },
          "the running job made no progress; killing its engine",
        );
      } else {
        continue;
      }
      this.#killed.add(engine);
      engine.kill();
    }
  }
}
