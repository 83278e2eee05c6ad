// Output retention: finished jobs beyond the count or age limit lose their files and
// then their record, at start and every few minutes. Both limits are off by default:
// a person's work is kept until a deployment sets them. Only terminal jobs are touched:
// a job that waits or runs keeps its inputs and outputs however old it is.
// Job folders that no record owns (the database was replaced, emptied or lost a damaged
// row) are reported once and removed when their files are older than the age limit,
// the rule finished jobs follow (docs/architecture.md §5).
import type { Logger } from "pino";
import type { ArtifactStore } from "../artifacts/types.js";
import { TERMINAL_STATUSES } from "../contract/requests.js";
import type { JobStore } from "../store/types.js";

export interface RetentionOptions {
  /** Only finding and removing expired records, and finding orphaned folders, is needed. */
  store: Pick<JobStore, "expired" | "remove" | "withoutRecord">;
  artifacts: ArtifactStore;
  logger: Logger;
  /** Terminal jobs kept, newest first; null = every one. */
  maxCompletedJobs: number | null;
  /** Terminal jobs that finished longer ago than this are removed; null = none for age. */
  maxAgeMs: number | null;
  intervalMs: number;
}

export interface CleanupReport {
  /** Finished jobs removed, files and record. */
  removed: string[];
  /** Job folders that no record owned, removed. */
  orphansRemoved: string[];
}

/**
 * How long a folder without a record may be a submission still storing its images
 * before its record is written (seconds, in practice): younger ones are left alone.
 */
const ORPHAN_GRACE_MS = 10 * 60_000;

export class OutputRetention {
  readonly #o: RetentionOptions;
  /** Folders untouched since then belong to no submission of this process. */
  readonly #startedAt = Date.now();
  /** Orphaned folders already reported, so that each is reported once. */
  readonly #reported = new Set<string>();
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
    const expired =
      maxCompletedJobs === null && maxAgeMs === null
        ? []
        : await store.expired(maxCompletedJobs, maxAgeMs);
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
    return { removed, orphansRemoved: await this.#removeOrphans() };
  }

  /** Reports job folders no record owns, and removes those past the age limit. */
  async #removeOrphans(): Promise<string[]> {
    const { store, artifacts, logger, maxAgeMs } = this.#o;
    const now = Date.now();
    const settledBefore = Math.max(this.#startedAt, now - ORPHAN_GRACE_MS);
    const folders = (await artifacts.jobFolders()).filter(
      (folder) => folder.modifiedAt < settledBefore,
    );
    if (folders.length === 0) return [];
    const unowned = new Set(await store.withoutRecord(folders.map((folder) => folder.jobId)));
    const orphans = folders.filter((folder) => unowned.has(folder.jobId));
    const unreported = orphans.filter((folder) => !this.#reported.has(folder.jobId));
    if (unreported.length) {
      logger.warn(
        { folders: unreported.length, jobs: unreported.slice(0, 10).map((folder) => folder.jobId) },
        "retention: job folders without a job record (was the job database replaced, emptied " +
          (maxAgeMs === null
            ? "or damaged?); they are kept (with OUTPUT_MAX_AGE_HOURS set, each is removed once its files are older)"
            : "or damaged?); each is removed once its files are older than OUTPUT_MAX_AGE_HOURS"),
      );
      for (const folder of unreported) this.#reported.add(folder.jobId);
    }
    const removed: string[] = [];
    for (const { jobId, modifiedAt } of orphans) {
      if (maxAgeMs === null || modifiedAt >= now - maxAgeMs) continue;
      try {
        await artifacts.removeJob(jobId);
        removed.push(jobId);
        this.#reported.delete(jobId);
      } catch (error) {
        logger.warn(
          { job: jobId, err: error },
          "retention: could not delete an orphaned job folder",
        );
      }
    }
    if (removed.length) {
      logger.info({ folders: removed.length }, "retention: removed job folders without a record");
    }
    return removed;
  }

  async #runLogged(): Promise<void> {
    try {
      await this.cleanup();
    } catch (error) {
      this.#o.logger.error({ err: error }, "retention cleanup failed");
    }
  }
}
