// An engine as a child process speaking the protocol on stdio: spawn, handshake,
// typed requests and events, timeouts, and a clear error when the process dies.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import {
  EngineExitedError,
  EngineJobError,
  EngineTimeoutError,
  JobCancelledError,
  JobYieldedError,
} from "./errors.js";
import type { EngineExit, EngineHandle, RunOptions } from "./handle.js";
import {
  validationErrors,
  type EngineEvent,
  type EngineRequest,
  type HelloEvent,
  type Plan,
  type ResultEvent,
  type StatusEvent,
} from "./protocol.js";

export interface EngineProcessOptions {
  id: string;
  /** The engine virtual environment's python. */
  python: string;
  /** Working directory of the engine (the engine/ package directory). */
  cwd: string;
  modelRoot: string;
  /** auto, cpu, cuda or cuda:N */
  device: string;
  memoryMode?: "auto" | "high" | "low";
  /** GB of the GPU the engine may use; null or absent = the whole card. */
  gpuMemoryGb?: number | null;
  /** bf16 (absent) or fp8 transformer block linears. */
  transformerDtype?: "bf16" | "fp8";
  heartbeatIntervalS: number;
  /** How long to wait for `hello`. */
  startTimeoutMs: number;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** How many stderr lines an exit error carries. */
  stderrTailLines?: number;
}

interface PendingRun {
  resolve: (result: ResultEvent) => void;
  reject: (error: Error) => void;
  options: RunOptions;
  timer: NodeJS.Timeout | undefined;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export class EngineProcess implements EngineHandle {
  readonly id: string;
  readonly exited: Promise<EngineExit>;
  lastEventAt = Date.now();

  readonly #child: ChildProcessWithoutNullStreams;
  readonly #logger: Logger;
  readonly #stderrTail: string[] = [];
  readonly #stderrTailLines: number;
  readonly #runs = new Map<string, PendingRun>();
  readonly #statusWaiters: Waiter<StatusEvent>[] = [];
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  #hello: HelloEvent | undefined;
  #helloWaiter: Waiter<HelloEvent> | undefined;
  #exitError: EngineExitedError | undefined;

  private constructor(options: EngineProcessOptions) {
    this.id = options.id;
    this.#logger = options.logger.child({ engine: options.id });
    this.#stderrTailLines = options.stderrTailLines ?? 40;
    const args = [
      "-m",
      "framepack_engine",
      "serve",
      "--model-root",
      options.modelRoot,
      "--device",
      options.device,
      "--heartbeat-interval",
      String(options.heartbeatIntervalS),
      "--memory-mode",
      options.memoryMode ?? "auto",
      ...(options.gpuMemoryGb == null ? [] : ["--gpu-memory-gb", String(options.gpuMemoryGb)]),
      "--transformer-dtype",
      options.transformerDtype ?? "bf16",
    ];
    this.#child = spawn(options.python, args, {
      cwd: options.cwd,
      // The engine never reaches a hub: weights come from the model root or the local cache.
      env: { ...process.env, PYTHONUNBUFFERED: "1", HF_HUB_OFFLINE: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.exited = new Promise((resolve) => {
      this.#child.once("close", (code, signal) => {
        this.#onExit(code, signal);
        resolve({ code, signal });
      });
    });
    // A spawn failure (python missing) surfaces as an exit with the OS error in the tail.
    this.#child.once("error", (error) => {
      this.#remember(`spawn failed: ${error.message}`);
    });
    this.#child.stdin.on("error", () => {
      // EPIPE after the engine died; the exit handler reports it.
    });
    createInterface({ input: this.#child.stdout }).on("line", (line) => {
      this.#onLine(line);
    });
    createInterface({ input: this.#child.stderr }).on("line", (line) => {
      this.#onStderr(line);
    });
  }

  /** Spawns an engine and resolves once it has said hello. */
  static async start(options: EngineProcessOptions): Promise<EngineProcess> {
    const engine = new EngineProcess(options);
    try {
      await engine.#waitForHello(options.startTimeoutMs);
    } catch (error) {
      engine.kill();
      throw error;
    }
    return engine;
  }

  get hello(): HelloEvent {
    if (!this.#hello) throw new Error(`engine ${this.id} has not said hello`);
    return this.#hello;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  run(jobId: string, plan: Plan, options: RunOptions = {}): Promise<ResultEvent> {
    if (this.#runs.has(jobId)) {
      return Promise.reject(new Error(`job ${jobId} is already running on engine ${this.id}`));
    }
    return new Promise((resolve, reject) => {
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.#settleRun(jobId)?.reject(
                new EngineTimeoutError(this.id, `result for job ${jobId}`, options.timeoutMs ?? 0),
              );
            }, options.timeoutMs);
      this.#runs.set(jobId, { resolve, reject, options, timer });
      this.#sendOrReject({ type: "run", job_id: jobId, plan }, (error) => {
        this.#settleRun(jobId)?.reject(error);
      });
    });
  }

  cancel(jobId: string): void {
    this.#sendOrReject({ type: "cancel", job_id: jobId }, () => undefined);
  }

  yield(jobId: string): void {
    this.#sendOrReject({ type: "yield", job_id: jobId }, () => undefined);
  }

  status(timeoutMs = 10_000): Promise<StatusEvent> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter<StatusEvent> = {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const index = this.#statusWaiters.indexOf(waiter);
        if (index >= 0) this.#statusWaiters.splice(index, 1);
        reject(new EngineTimeoutError(this.id, "status", timeoutMs));
      }, timeoutMs);
      this.#statusWaiters.push(waiter);
      this.#sendOrReject({ type: "status" }, waiter.reject);
    });
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Writes one raw line to the engine, bypassing validation: for protocol diagnostics. */
  sendRaw(line: string): void {
    this.#child.stdin.write(line.endsWith("\n") ? line : `${line}\n`);
  }

  async shutdown(graceMs = 10_000): Promise<EngineExit> {
    if (!this.#exitError) {
      this.#sendOrReject({ type: "shutdown" }, () => undefined);
      this.#child.stdin.end();
      const timer = setTimeout(() => {
        this.kill();
      }, graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill("SIGKILL");
    }
  }

  // -- sending -------------------------------------------------------------------

  #sendOrReject(request: EngineRequest, reject: (error: Error) => void): void {
    if (this.#exitError) {
      reject(this.#exitError);
      return;
    }
    const problems = validationErrors(request, "request");
    if (problems.length) {
      reject(new TypeError(`invalid ${request.type} request: ${problems.join("; ")}`));
      return;
    }
    this.#child.stdin.write(`${JSON.stringify(request)}\n`);
  }

  // -- receiving -----------------------------------------------------------------

  #onLine(line: string): void {
    this.lastEventAt = Date.now();
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.#logger.warn({ line: line.slice(0, 200) }, "engine wrote a line that is not JSON");
      return;
    }
    const problems = validationErrors(message, "event");
    if (problems.length) {
      this.#logger.warn({ problems }, "engine wrote an event that breaks the protocol schema");
      // A bad handshake (say, another protocol version) is fatal: say why at once.
      if ((message as { type?: unknown }).type === "hello") {
        this.#helloWaiter?.reject(
          new Error(`engine ${this.id} sent an invalid hello: ${problems.join("; ")}`),
        );
        this.#helloWaiter = undefined;
      }
      return;
    }
    this.#dispatch(message as EngineEvent);
    for (const listener of this.#listeners) listener(message as EngineEvent);
  }

  #dispatch(event: EngineEvent): void {
    switch (event.type) {
      case "hello":
        this.#onHello(event);
        return;
      case "status":
        this.#statusWaiters.shift()?.resolve(event);
        return;
      case "progress":
        this.#runs.get(event.job_id)?.options.onProgress?.(event);
        return;
      case "item_result":
        this.#runs.get(event.job_id)?.options.onItemResult?.(event);
        return;
      case "result":
        this.#settleRun(event.job_id)?.resolve(event);
        return;
      case "cancelled":
        this.#settleRun(event.job_id)?.reject(new JobCancelledError(event.job_id));
        return;
      case "checkpoint":
        this.#runs.get(event.job_id)?.options.onCheckpoint?.(event);
        return;
      case "yielded":
        this.#settleRun(event.job_id)?.reject(new JobYieldedError(event.job_id, event.sections_done));
        return;
      case "error":
        this.#onError(event);
        return;
      case "heartbeat":
        return;
    }
  }

  #onHello(event: HelloEvent): void {
    this.#hello = event;
    this.#helloWaiter?.resolve(event);
    this.#helloWaiter = undefined;
  }

  #onError(event: Extract<EngineEvent, { type: "error" }>): void {
    const run = event.job_id === null ? undefined : this.#settleRun(event.job_id);
    if (run) {
      run.reject(new EngineJobError(event));
      return;
    }
    this.#logger.warn({ code: event.code, job: event.job_id }, event.message);
  }

  #onStderr(line: string): void {
    this.#remember(line);
    const running = [...this.#runs.keys()];
    // Kept for an exit's error (the tail) and shown at debug: model-loading progress bars
    // and library warnings are not events an operator acts on; failures arrive as errors.
    this.#logger.debug({ job: running.length === 1 ? running[0] : undefined }, line);
  }

  #remember(line: string): void {
    this.#stderrTail.push(line);
    if (this.#stderrTail.length > this.#stderrTailLines) this.#stderrTail.shift();
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const error = new EngineExitedError(this.id, code, signal, [...this.#stderrTail]);
    this.#exitError = error;
    const level = code === 0 ? "info" : "error";
    this.#logger[level]({ code, signal }, "engine exited");
    this.#helloWaiter?.reject(error);
    this.#helloWaiter = undefined;
    for (const jobId of [...this.#runs.keys()]) this.#settleRun(jobId)?.reject(error);
    for (const waiter of this.#statusWaiters.splice(0)) waiter.reject(error);
  }

  #settleRun(jobId: string): PendingRun | undefined {
    const run = this.#runs.get(jobId);
    if (!run) return undefined;
    this.#runs.delete(jobId);
    clearTimeout(run.timer);
    return run;
  }

  #waitForHello(timeoutMs: number): Promise<HelloEvent> {
    if (this.#exitError) return Promise.reject(this.#exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#helloWaiter = undefined;
        reject(new EngineTimeoutError(this.id, "hello", timeoutMs));
      }, timeoutMs);
      this.#helloWaiter = {
        resolve: (hello) => {
          clearTimeout(timer);
          resolve(hello);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }
}
