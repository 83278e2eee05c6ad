// How the CLI fails: one line on stderr naming what went wrong (the server's own message
// when it refused), the refused fields under it, and a non-zero exit status.
import { FramePackError } from "../client/index.js";

/** A failure the CLI explains in its own words. */
export class CliError extends Error {
  override name = "CliError";
}

export function describeFailure(error: unknown): string {
  if (error instanceof FramePackError) {
    const fields = error.details.map((detail) => `\n  ${detail.field}: ${detail.message}`);
    return `${error.message} (HTTP ${error.status} ${error.code})${fields.join("")}`;
  }
  if (error instanceof Error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a bad host).
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
