// Why a run failed, as a job error code and message, and whether another attempt may help.
import type { JobErrorCode } from "../contract/error-codes.js";
import { isDiskFull } from "../contract/errors.js";
import { EngineExitedError, EngineJobError, EngineTimeoutError } from "../engine/errors.js";
import type { JobError } from "../store/types.js";

export function isRetriable(error: unknown): boolean {
  if (error instanceof EngineJobError) return error.retriable;
  return error instanceof EngineExitedError || error instanceof EngineTimeoutError;
}

export function describeFailure(error: unknown): JobError & { code: JobErrorCode } {
  if (error instanceof EngineJobError) return { code: error.code, message: error.message };
  if (error instanceof EngineExitedError) {
    return { code: "engine_crashed", message: error.message.split("\n")[0] ?? "engine crashed" };
  }
  if (error instanceof EngineTimeoutError)
    return { code: "engine_timeout", message: error.message };
  if (isDiskFull(error)) {
    return { code: "disk_full", message: `no space left on device: ${(error as Error).message}` };
  }
  return {
    code: "internal_error",
    message: error instanceof Error ? error.message : String(error),
  };
}
