// How the CLI fails: one line on stderr naming what went wrong (the server's own message
// when it refused; in plain words what a person can do about a missing or wrong key and
// a server that cannot be reached), the refused fields under it, and a non-zero exit
// status; with --json also an {"event":"error"} line on stdout. Neither ever shows the
// API key.
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

/** Errors of the network below fetch: the server is not there (or not reachable). */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

function unreachableCode(error: Error): string | undefined {
  const cause = error.cause as { code?: unknown } | undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  return error.message === "fetch failed" && code && UNREACHABLE.has(code) ? code : undefined;
}

/** What went wrong, for a person; `server` is the URL the command talked to. */
export function describeFailure(error: unknown, secret?: string, server?: string): string {
  const where = server ? `the server at ${server}` : "the server";
  if (error instanceof FramePackError) {
    if (error.code === "unauthorized") {
      return `${where} needs an API key: set FRAMEPACK_API_KEY or pass --api-key`;
    }
    if (error.code === "forbidden" && error.status === 403) {
      return `${where} does not accept this API key: check FRAMEPACK_API_KEY or --api-key`;
    }
    const fields = error.details.map((detail) => `\n  ${detail.field}: ${detail.message}`);
    return redact(
      `${error.message} (HTTP ${error.status} ${error.code})${fields.join("")}`,
      secret,
    );
  }
  if (error instanceof Error) {
    const unreachable = unreachableCode(error);
    if (unreachable) {
      return (
        `could not reach ${where} (${unreachable}). Is it running? Start one with ` +
        "`framepack serve` (or `npm start` in its folder), or name yours with --server URL " +
        "or FRAMEPACK_SERVER"
      );
    }
    // fetch says only "fetch failed"; the cause says why (a bad host, a TLS problem).
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return redact(`${error.message}${cause}`, secret);
  }
  return redact(String(error), secret);
}

/** The failure as the --json line: the same message, and what a program branches on. */
export function failureEvent(
  error: unknown,
  secret?: string,
  server?: string,
): Record<string, unknown> {
  return {
    event: "error",
    message: describeFailure(error, secret, server),
    ...(error instanceof CliError && error.jobId !== undefined ? { job_id: error.jobId } : {}),
    ...(error instanceof FramePackError
      ? { status: error.status, code: error.code, details: error.details }
      : {}),
  };
}
