// Errors an engine handle reports, each carrying what a person needs to act on it.
import type { ErrorEvent } from "./protocol.js";

/** The engine refused or failed a job with a protocol error event. */
export class EngineJobError extends Error {
  readonly code: ErrorEvent["code"];
  readonly retriable: boolean;

  constructor(event: ErrorEvent) {
    super(event.message);
    this.name = "EngineJobError";
    this.code = event.code;
    this.retriable = event.retriable;
  }
}

export class JobCancelledError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} was cancelled`);
    this.name = "JobCancelledError";
  }
}

/** A video stopped at a section boundary because the service asked it to yield its engine. */
export class JobYieldedError extends Error {
  constructor(
    readonly jobId: string,
    readonly sectionsDone: number,
  ) {
    super(`job ${jobId} yielded its engine after ${sectionsDone} sections`);
    this.name = "JobYieldedError";
  }
}

/** The engine process is gone; carries how it ended and the last lines it wrote to stderr. */
export class EngineExitedError extends Error {
  constructor(
    readonly engineId: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: readonly string[],
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    const tail = stderrTail.length ? `; last stderr lines:\n${stderrTail.join("\n")}` : "";
    super(`engine ${engineId} ${how}${tail}`);
    this.name = "EngineExitedError";
  }
}

export class EngineTimeoutError extends Error {
  constructor(
    readonly engineId: string,
    readonly waitingFor: string,
    readonly timeoutMs: number,
  ) {
    super(`engine ${engineId}: no ${waitingFor} within ${timeoutMs} ms`);
    this.name = "EngineTimeoutError";
  }
}
