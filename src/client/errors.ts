// A refused or failed request as an Error carrying the service's envelope (api.md §3).

export class FramePackError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "FramePackError";
  }

  /** From a response and its parsed body, whatever shape the body has. */
  static from(response: Response, body: unknown): FramePackError {
    type Envelope = { error?: { code?: unknown; message?: unknown; details?: unknown } } | null;
    const envelope = (body as Envelope | undefined)?.error;
    if (typeof envelope?.message === "string") {
      const details = Array.isArray(envelope.details)
        ? (envelope.details as { field: string; message: string }[])
        : [];
      return new FramePackError(response.status, String(envelope.code), envelope.message, details);
    }
    const text = typeof body === "string" && body ? body : response.statusText;
    return new FramePackError(response.status, "http_error", `HTTP ${response.status}: ${text}`);
  }
}

/** The data of an openapi-fetch call, or a FramePackError with the server's message. */
export async function unwrap<Data>(
  call: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw FramePackError.from(response, error);
  return data as Data;
}
