// A refused request: a code from the registry (which owns the HTTP status and any
// Retry-After), one sentence for a person, and every rejected field. The API layer
// renders it in its envelope.
import { REQUEST_ERROR_CODES, type RequestErrorCode } from "./error-codes.js";

export interface FieldProblem {
  field: string;
  message: string;
}

export class RequestError extends Error {
  readonly status: number;
  /** Seconds, for the codes whose registry entry has one. */
  readonly retryAfter: number | undefined;

  constructor(
    readonly code: RequestErrorCode,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = "RequestError";
    this.status = REQUEST_ERROR_CODES[code].status;
    this.retryAfter = REQUEST_ERROR_CODES[code].retryAfterS;
  }
}

export function invalidField(field: string, message: string): RequestError {
  return new RequestError("validation_failed", `${field}: ${message}`, [{ field, message }]);
}

/** Whether a failed file operation ran out of disk space (ENOSPC). */
export function isDiskFull(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOSPC";
}

/** A submission whose input images found no room on disk: try again once space is freed. */
export function storageFull(): RequestError {
  return new RequestError(
    "storage_full",
    "The server has no disk space left to store the request's images; try again later.",
  );
}
