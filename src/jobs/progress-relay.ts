// What a running engine reports, passed on: progress into the record (the store writes
// it at a bounded rate) and to live clients (at most a few events a second per job),
// previews kept in memory for the job's view, and each finished batch item, which is
// on disk before it is announced: a client told that an item is done is never told
// otherwise, and a crash right after does not run the item again.
import type { Logger } from "pino";
import type { ArtifactStore } from "../artifacts/types.js";
import type { RunOptions } from "../engine/handle.js";
import type { CheckpointEvent, ItemResultEvent, Plan, ProgressEvent } from "../engine/protocol.js";
import { untilWritten } from "../store/errors.js";
import type {
  BatchItemState,
  JobProgress,
  JobRecord,
  JobStore,
  SectionCount,
} from "../store/types.js";
import { batchProgress, pendingItems } from "./batch-chunks.js";
import type { JobEventPublisher } from "./events.js";

const PROGRESS_EVENTS_PER_SECOND = 4;

/** The phase of a completed job: its progress is final (docs/api.md §3). */
export const DONE_PHASE = "done";

/** Seconds from the latest start to the end of a finished job; null until then. */
export function durationSeconds(job: JobRecord): number | null {
  if (job.startedAt === null || job.completedAt === null) return null;
  const ms = Date.parse(job.completedAt) - Date.parse(job.startedAt);
  return Number.isFinite(ms) ? Math.max(0, ms) / 1000 : null;
}

/** 4.2 s, 3 min 05 s, 1 h 02 min */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const two = (value: number) => String(value).padStart(2, "0");
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${two(whole % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${two(minutes % 60)} min`;
}

/**
 * The progress of a completed job: all done, every step counted, and how long it took;
 * not the engine's last report (a decode or the MP4 write, which would read as unfinished).
 */
export function completedProgress(job: JobRecord): JobProgress {
  const { total } = job.progress;
  const duration = durationSeconds(job);
  const { sections } = job.progress;
  return {
    progress: 1,
    step: total,
    total,
    info: duration === null ? "Finished" : `Finished in ${formatSeconds(duration)}`,
    phase: DONE_PHASE,
    ...(sections ? { sections: { total: sections.total, done: sections.total } } : {}),
  };
}

/** Where the relay records progress and finished items: the store, or a leased run's writes. */
export type ProgressWrites = Pick<JobStore, "setProgress" | "setBatchItem">;

export class ProgressRelay {
  readonly #store: ProgressWrites;
  readonly #events: JobEventPublisher;
  readonly #artifacts: Pick<ArtifactStore, "keyOf">;
  readonly #logger: Logger;
  readonly #previews = new Map<string, string>();
  readonly #lastProgressEvent = new Map<string, number>();
  /** The total of each running job's latest sampling report: its steps, for the final record. */
  readonly #samplingTotals = new Map<string, number>();
  /** The section count of each running video with checkpoints, from its checkpoint events. */
  readonly #sections = new Map<string, SectionCount>();
  /** The latest progress written of each running job, for a checkpoint to amend. */
  readonly #latest = new Map<string, JobProgress>();
  /** Per job, the item writes under way, chained so that they land and are announced in order. */
  readonly #itemWrites = new Map<string, Promise<void>>();

  constructor(
    store: ProgressWrites,
    events: JobEventPublisher,
    artifacts: Pick<ArtifactStore, "keyOf">,
    logger: Logger,
  ) {
    this.#store = store;
    this.#events = events;
    this.#artifacts = artifacts;
    this.#logger = logger;
  }

  /** The latest preview of a running job (a data URI), null when there is none. */
  preview(jobId: string): string | null {
    return this.#previews.get(jobId) ?? null;
  }

  progress(job: JobRecord, event: ProgressEvent): void {
    const fraction = event.total > 0 ? event.step / event.total : 0;
    const progress = {
      progress: job.type === "batch_image" ? batchProgress(job, fraction) : fraction,
      step: event.step,
      total: event.total,
      info: event.info,
      phase: event.phase,
      ...this.#sectionsOf(job.id),
    };
    this.#latest.set(job.id, progress);
    this.#store.setProgress(job.id, progress);
    if (event.phase === "sampling" && event.total > 0) {
      this.#samplingTotals.set(job.id, event.total);
    }
    if (event.preview) {
      this.#previews.set(job.id, event.preview);
      this.#events.publish(job.id, "preview", { preview: event.preview });
    }
    const now = Date.now();
    const last = this.#lastProgressEvent.get(job.id) ?? 0;
    if (now - last >= 1000 / PROGRESS_EVENTS_PER_SECOND || event.step === event.total) {
      this.#lastProgressEvent.set(job.id, now);
      this.#events.publish(job.id, "progress", progress);
    }
  }

  /** The callbacks of a job's engine run: its reports come here. */
  runOptions(job: JobRecord): RunOptions {
    return {
      onProgress: (event) => {
        this.progress(job, event);
      },
      onItemResult: (event) => {
        this.item(job, event);
      },
      onCheckpoint: (event) => {
        this.checkpoint(job, event);
      },
    };
  }

  /**
   * After a batch run: the items of its plan still pending in the job's record (read
   * with `record`, and only for a batch) fail, since the engine said nothing of them, so
   * that a batch cannot loop; resolves once they are recorded.
   */
  async failUnreported(plan: Plan, record: () => Promise<JobRecord | undefined>): Promise<void> {
    if (plan.kind !== "batch") return;
    const job = await record();
    if (!job) return;
    const ran = new Set(plan.items.map((item) => item.index));
    for (const item of pendingItems(job)) {
      if (!ran.has(item.index)) continue;
      this.itemDone(job.id, { ...item, status: "failed", error: "the engine reported no result" });
    }
    await this.settled(job.id);
  }

  /** A video's section checkpoint: the record's `sections` follow it. */
  checkpoint(job: JobRecord, event: CheckpointEvent): void {
    this.#sections.set(job.id, { total: event.sections_total, done: event.sections_done });
    const progress = { ...(this.#latest.get(job.id) ?? job.progress), ...this.#sectionsOf(job.id) };
    this.#latest.set(job.id, progress);
    this.#store.setProgress(job.id, progress);
    this.#events.publish(job.id, "progress", progress);
  }

  #sectionsOf(jobId: string): { sections?: SectionCount } {
    const sections = this.#sections.get(jobId);
    return sections ? { sections } : {};
  }

  item(job: JobRecord, event: ItemResultEvent): void {
    const before = job.batchItems?.[event.index];
    if (!before) return;
    const key = event.file ? (this.#artifacts.keyOf(job.id, event.file.path) ?? null) : null;
    this.itemDone(job.id, { ...before, status: event.status, key, error: event.error ?? null });
  }

  /**
   * Records a batch item's final state, waiting out a store that cannot write for now,
   * and only then announces it (unless the job stopped running meanwhile). settled()
   * tells when it is done.
   */
  itemDone(jobId: string, item: BatchItemState): void {
    const write = async () => {
      try {
        const recorded = await untilWritten(
          () => this.#store.setBatchItem(jobId, item),
          (error) => {
            this.#logger.warn(
              { job: jobId, item: item.index, err: error },
              "a finished batch item waits for the job store; it is announced once written",
            );
          },
        );
        if (recorded) this.#events.publish(jobId, "item", item);
      } catch (error) {
        // Never announced, so still pending in the record: a later run makes it again.
        this.#logger.error(
          { job: jobId, item: item.index, err: error },
          "a batch item was not recorded",
        );
      }
    };
    this.#itemWrites.set(jobId, this.settled(jobId).then(write));
  }

  /** Waits for the item writes of a job begun so far: its record then holds every item. */
  async settled(jobId: string): Promise<void> {
    await this.#itemWrites.get(jobId);
  }

  /**
   * The progress a job that completes is recorded with: phase done, the sampling steps
   * of its last run as both step and total (the engine's last report was of a decode or
   * a save, step 0 of 1), or `fallbackTotal` when this process saw no sampling.
   */
  finalProgress(jobId: string, fallbackTotal: number): JobProgress {
    const total = this.#samplingTotals.get(jobId) ?? fallbackTotal;
    const sections = this.#sections.get(jobId);
    return {
      progress: 1,
      step: total,
      total,
      info: "Finished",
      phase: DONE_PHASE,
      ...(sections ? { sections: { total: sections.total, done: sections.total } } : {}),
    };
  }

  /** Drops what was kept of a job that has finished. */
  forget(jobId: string): void {
    this.#lastProgressEvent.delete(jobId);
    this.#samplingTotals.delete(jobId);
    this.#sections.delete(jobId);
    this.#latest.delete(jobId);
    this.#previews.delete(jobId);
    this.#itemWrites.delete(jobId);
  }
}
