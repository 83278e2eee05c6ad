// What a JobStore throws when it cannot do its work, whatever the backend: a write that
// must wait (the store is locked elsewhere, or its disk is full) is told apart from a
// bug, so that intake can refuse with "retry later" and the runner can wait it out; a
// database that cannot be used at all is refused at start, naming the file.

/**
 * Why the store cannot write for now: another connection holds its lock, its disk is
 * full, or (PostgreSQL, docs/cluster.md) its server cannot be reached.
 */
export type StoreUnavailableReason = "busy" | "full" | "unreachable";

const UNAVAILABLE: Record<StoreUnavailableReason, string> = {
  busy: "the job store is locked by another connection",
  full: "the job store's disk is full",
  unreachable: "the job store's database server cannot be reached",
};

/** A write that did not happen and may succeed later; nothing of it was stored. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly reason: StoreUnavailableReason,
    cause: unknown,
  ) {
    super(UNAVAILABLE[reason], { cause });
    this.name = "StoreUnavailableError";
  }
}

/** The job database cannot be opened or used; says which file and what is wrong with it. */
export class JobDatabaseError extends Error {
  constructor(
    readonly path: string,
    problem: string,
    cause?: unknown,
  ) {
    super(`the job database ${path} cannot be used: ${problem}`, { cause });
    this.name = "JobDatabaseError";
  }
}

/** A stored job that could not be read back, set aside so that it takes nothing else down. */
export interface DamagedRow {
  jobId: string;
  /** The column that could not be read. */
  field: string;
  problem: string;
}

const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 10_000;

/**
 * Runs `write` until it goes through, waiting out an unavailable store with back-off
 * (a quarter of a second, doubling to ten seconds), so that a job's state change is
 * never lost to a full disk or a held lock but made once they are gone. `onWait` hears
 * of the first refusal. Any other error is thrown at once.
 */
export async function untilWritten<T>(
  write: () => Promise<T>,
  onWait: (error: StoreUnavailableError) => void,
): Promise<T> {
  for (let waitMs = FIRST_WAIT_MS; ; waitMs = Math.min(waitMs * 2, LONGEST_WAIT_MS)) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (waitMs === FIRST_WAIT_MS) onWait(error);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
