// A refused or failed request as an Error carrying the service's envelope (docs/api.md §6),
// and a job event stream that stayed lost.

export class FramePackError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { field: string; message: string }[] = [],
    /** How long the server asked to wait before asking again (429, 503: Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "FramePackError";
  }

  /** From a response and its parsed body, whatever shape the body has. */
  static from(response: Response, body: unknown): FramePackError {
    type Envelope = { error?: { code?: unknown; message?: unknown; details?: unknown } } | null;
    const envelope = (body as Envelope | undefined)?.error;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    if (typeof envelope?.message === "string") {
      const details = Array.isArray(envelope.details)
        ? (envelope.details as { field: string; message: string }[])
        : [];
      const code = String(envelope.code);
      return new FramePackError(response.status, code, envelope.message, details, retryAfterMs);
    }
    const text = typeof body === "string" && body ? body : response.statusText;
    const message = `HTTP ${response.status}: ${text}`;
    return new FramePackError(response.status, "http_error", message, [], retryAfterMs);
  }
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A job's event stream could not be reopened for as long as the follower allowed. The
 * job itself lives on the server and may well still run: follow it again later.
 */
export class EventStreamLostError extends Error {
  constructor(
    readonly jobId: string,
    /** The last event received; resume after it (FollowOptions.lastEventId). */
    readonly lastEventId: number,
    cause: unknown,
  ) {
    super(`lost the event stream of job ${jobId}: ${reasonOf(cause)}`, { cause });
    this.name = "EventStreamLostError";
  }
}

/** An error's message with its cause's (fetch says only "fetch failed"; the cause says why). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/** The data of an openapi-fetch call, or a FramePackError with the server's message. */
export async function unwrap<Data>(
  call: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw FramePackError.from(response, error);
  return data as Data;
}
