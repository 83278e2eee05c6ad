// Scripted engines for the pool and the job service, no model needed: one that answers
// at once, one killed under its run, one whose run stalls while its heartbeats go on.
import { EventEmitter } from "node:events";
import { EngineExitedError } from "../../src/engine/errors.js";
import type { EngineExit, EngineHandle, RunOptions } from "../../src/engine/handle.js";
import type { HelloEvent, Plan, ProgressEvent, ResultEvent } from "../../src/engine/protocol.js";

export class ScriptedEngine implements EngineHandle {
  readonly id = "scripted";
  readonly hello = { model_set: { tiny: true } } as unknown as HelloEvent;
  lastEventAt = Date.now();
  runs: string[] = [];
  cancels: string[] = [];
  yields: string[] = [];
  readonly #exit = new EventEmitter();
  readonly exited = new Promise<EngineExit>((resolve) => this.#exit.once("exit", resolve));

  run(jobId: string): Promise<ResultEvent> {
    this.runs.push(jobId);
    return Promise.resolve({ type: "result", job_id: jobId, files: [], metadata: {} });
  }
  yield(jobId: string): void {
    this.yields.push(jobId);
  }

  cancel(jobId: string): void {
    this.cancels.push(jobId);
  }
  status(): never {
    throw new Error("not scripted");
  }
  onEvent(): () => void {
    return () => undefined;
  }
  shutdown(): Promise<EngineExit> {
    this.kill();
    return this.exited;
  }
  kill(): void {
    this.#exit.emit("exit", { code: null, signal: "SIGKILL" });
  }
}

/** An engine killed during its run: the run fails first, the exit is noticed after. */
export class EngineDyingMidRun extends ScriptedEngine {
  override run(jobId: string): Promise<ResultEvent> {
    this.runs.push(jobId);
    setTimeout(() => {
      this.kill();
    }, 50);
    return Promise.reject(new EngineExitedError(this.id, null, "SIGKILL", []));
  }
}

/** A live process (its heartbeats go on) whose run reports progress `moves` times, then hangs. */
export class EngineThatStalls extends ScriptedEngine {
  constructor(readonly moves: number) {
    super();
  }

  override run(jobId: string, _plan?: Plan, options: RunOptions = {}): Promise<ResultEvent> {
    this.runs.push(jobId);
    let moved = 0;
    const beat = setInterval(() => {
      this.lastEventAt = Date.now();
      if (moved++ < this.moves) options.onProgress?.({ step: moved } as unknown as ProgressEvent);
    }, 100);
    return new Promise((_resolve, reject) => {
      void this.exited.then(() => {
        clearInterval(beat);
        reject(new EngineExitedError(this.id, null, "SIGKILL", []));
      });
    });
  }
}
