// Output retention: finished jobs beyond the count or age limit lose their files and
// then their record, at start and every few minutes. Only terminal jobs are touched:
// a job that waits or runs keeps its inputs and outputs however old it is.
import type { Logger } from "pino";
import type { ArtifactStore } from "../artifacts/types.js";
import { TERMINAL_STATUSES } from "../contract/requests.js";
import type { JobStore } from "../store/types.js";

export interface RetentionOptions {
  /** Only finding and removing expired records is needed. */
  store: Pick<JobStore, "expired" | "remove">;
  artifacts: ArtifactStore;
  logger: Logger;
  /** Terminal jobs kept, newest first. */
  maxCompletedJobs: number;
  /** Terminal jobs that finished longer ago than this are removed. */
  maxAgeMs: number;
  intervalMs: number;
}

export interface CleanupReport {
  removed: string[];
}

export class OutputRetention {
  readonly #o: RetentionOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<CleanupReport> | undefined;

  constructor(options: RetentionOptions) {
    this.#o = options;
  }

  /** Runs once now, then every intervalMs; the timer never keeps the process alive. */
  start(): void {
    if (this.#timer) return;
    void this.#runLogged();
    this.#timer = setInterval(() => void this.#runLogged(), this.#o.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a cleanup in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One pass; a pass already in progress is joined, not doubled. */
  cleanup(): Promise<CleanupReport> {
    this.#running ??= this.#cleanup().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #cleanup(): Promise<CleanupReport> {
    const { store, artifacts, logger, maxCompletedJobs, maxAgeMs } = this.#o;
    const expired = await store.expired(maxCompletedJobs, maxAgeMs);
    // The store promises terminal jobs only; checked again because deleting the files
    // of a running job would break it.
    const terminal = expired.filter((job) => TERMINAL_STATUSES.includes(job.status));
    if (terminal.length < expired.length) {
      logger.error(
        { jobs: expired.filter((job) => !terminal.includes(job)).map((job) => job.id) },
        "retention: the store offered unfinished jobs; they were kept",
      );
    }
    // Files first: should the process stop in between, the record is still there and
    // the next pass finishes the work; the other order would leave orphaned files.
    const removed: string[] = [];
    for (const job of terminal) {
      try {
        await artifacts.removeJob(job.id);
        removed.push(job.id);
      } catch (error) {
        logger.warn({ job: job.id, err: error }, "retention: could not delete the job's files");
      }
    }
    if (removed.length) {
      await store.remove(removed);
      logger.info({ jobs: removed.length }, "retention: removed finished jobs and their files");
    }
    return { removed };
  }

  async #runLogged(): Promise<void> {
    try {
      await this.cleanup();
    } catch (error) {
      this.#o.logger.error({ err: error }, "retention cleanup failed");
    }
  }
}
