// How the CLI fails: one line on stderr naming what went wrong (the server's own message
// when it refused), the refused fields under it, and a non-zero exit status; with --json
// also an {"event":"error"} line on stdout. Neither ever shows the API key.
import { FramePackError } from "../client/index.js";

/** A failure the CLI explains in its own words; `jobId` when it concerns a job. */
export class CliError extends Error {
  override name = "CliError";

  constructor(
    message: string,
    readonly jobId?: string,
  ) {
    super(message);
  }
}

/** The text with the secret blanked out: an error from below (fetch, a proxy) may quote
 * a request's headers, the Authorization header with them. */
function redact(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, "<API key>") : text;
}

export function describeFailure(error: unknown, secret?: string): string {
  if (error instanceof FramePackError) {
    const fields = error.details.map((detail) => `\n  ${detail.field}: ${detail.message}`);
    return redact(
      `${error.message} (HTTP ${error.status} ${error.code})${fields.join("")}`,
      secret,
    );
  }
  if (error instanceof Error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a bad host).
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return redact(`${error.message}${cause}`, secret);
  }
  return redact(String(error), secret);
}

/** The failure as the --json line: the same message, and what a program branches on. */
export function failureEvent(error: unknown, secret?: string): Record<string, unknown> {
  return {
    event: "error",
    message: describeFailure(error, secret),
    ...(error instanceof CliError && error.jobId !== undefined ? { job_id: error.jobId } : {}),
    ...(error instanceof FramePackError
      ? { status: error.status, code: error.code, details: error.details }
      : {}),
  };
}
