// A refused request: the HTTP status, a snake_case code, one sentence for a person,
// and every rejected field. The API layer renders it in its envelope.

import type { RequestErrorCode } from "./error-codes.js";

export interface FieldProblem {
  field: string;
  message: string;
}

export class RequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 422 | 429 | 503,
    readonly code: RequestErrorCode,
    message: string,
    readonly details: FieldProblem[] = [],
    /** Seconds, for 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export function invalidField(field: string, message: string): RequestError {
  return new RequestError(422, "validation_failed", `${field}: ${message}`, [{ field, message }]);
}

/** Whether a failed file operation ran out of disk space (ENOSPC). */
export function isDiskFull(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOSPC";
}

/** A submission whose input images found no room on disk: try again once space is freed. */
export function storageFull(): RequestError {
  return new RequestError(
    503,
    "storage_full",
    "The server has no disk space left to store the request's images; try again later.",
    [],
    60,
  );
}
