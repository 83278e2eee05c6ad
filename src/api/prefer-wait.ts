// `Prefer: wait=N` on the generation endpoints (RFC 7240; the Replicate convention,
// docs/api.md §6): the answer waits up to N seconds for the job to finish and is then
// the finished record (200), else the usual 202. A preference is a hint, so one that
// cannot be read is ignored rather than refused, and a longer wait is cut to the longest.

/** The longest a submission may wait for its job, in seconds. */
export const MAX_PREFER_WAIT_S = 60;

/**
 * The seconds a `Prefer` header asks to wait (at most MAX_PREFER_WAIT_S), or undefined
 * when it asks for no wait. Several preferences may share the header or come in several.
 */
export function preferredWaitSeconds(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header.join(",") : header;
  const match = text?.match(/(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?\s*(?:[,;]|$)/i);
  if (!match?.[1]) return undefined;
  const seconds = Math.min(Number(match[1]), MAX_PREFER_WAIT_S);
  return seconds > 0 ? seconds : undefined;
}
