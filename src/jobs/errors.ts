// A refused request: the HTTP status, a snake_case code, one sentence for a person,
// and every rejected field. The API layer renders it in its envelope.

export interface FieldProblem {
  field: string;
  message: string;
}

export class RequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 422 | 429 | 503,
    readonly code: string,
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
