// Failures that mean "try again later", as the refusals a client gets: no disk space
// (for a request's images or a job's record) and a job store that cannot write for now.
import { isDiskFull, RequestError, storageFull } from "../contract/errors.js";
import { StoreUnavailableError } from "../store/errors.js";

/**
 * A submission that found no room (its images, or its record: the disk is full) or a
 * store that cannot write for now: refused with "retry later" rather than failed.
 */
export function refusalOf(error: unknown): unknown {
  if (isDiskFull(error)) return storageFull();
  if (!(error instanceof StoreUnavailableError)) return error;
  return error.reason === "full"
    ? new RequestError(
        "storage_full",
        "The server has no disk space left to record the job; try again later.",
      )
    : new RequestError(
        "store_busy",
        "The job store cannot take new jobs for the moment; try again later.",
      );
}
