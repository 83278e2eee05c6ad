// The seam between the job system and an engine, wherever it runs: a child process
// on stdio today, an agent on another host later. Nothing outside src/engine/ needs
// to know which.
import type {
  CheckpointEvent,
  EngineEvent,
  HelloEvent,
  ItemResultEvent,
  Plan,
  ProgressEvent,
  ResultEvent,
  StatusEvent,
} from "./protocol.js";

export interface RunOptions {
  /** Called for each progress event of this job. */
  onProgress?: (event: ProgressEvent) => void;
  /** Called as each item of a batch plan finishes. */
  onItemResult?: (event: ItemResultEvent) => void;
  /** Called as each section of a video plan with a checkpoint_dir is checkpointed. */
  onCheckpoint?: (event: CheckpointEvent) => void;
  /** Rejects with EngineTimeoutError when the plan has not finished by then. */
  timeoutMs?: number;
}

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EngineHandle {
  readonly id: string;
  /** The engine's handshake: versions, device, capabilities, model set. */
  readonly hello: HelloEvent;
  /** Milliseconds since the epoch of the last line the engine wrote. */
  readonly lastEventAt: number;
  /** Settles when the engine is gone, for whatever reason. */
  readonly exited: Promise<EngineExit>;
  /** Resolves with the result; rejects with EngineJobError, JobCancelledError, EngineExitedError or EngineTimeoutError. */
  run(jobId: string, plan: Plan, options?: RunOptions): Promise<ResultEvent>;
  /** Asks the engine to stop the job within one sampler step; run() then rejects with JobCancelledError. */
  cancel(jobId: string): void;
  /**
   * Asks a running video to stop at its next section boundary; run() then rejects with
   * JobYieldedError (or ends as usual when no boundary is left). Ignored for other jobs.
   */
  yield(jobId: string): void;
  status(timeoutMs?: number): Promise<StatusEvent>;
  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Asks for an orderly exit, then kills the engine if it has not left within the grace period. */
  shutdown(graceMs?: number): Promise<EngineExit>;
  /** Ends the engine at once (SIGKILL). */
  kill(): void;
}
