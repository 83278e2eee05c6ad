// Live progress of running jobs, held in memory and written at a bounded rate (every
// backend: a progress tick must not cost a write). A record read while its job runs
// shows the buffered progress; a transition takes the buffer with it.
import type { StoreLog } from "./records.js";
import type { JobProgress, JobRecord } from "./types.js";

/** Buffered progress as it was when a write began: what that write may clear. */
export type ProgressSnapshot = readonly (readonly [string, JobProgress])[];

export class ProgressBuffer {
  private readonly overlays = new Map<string, JobProgress>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `flush` writes what is buffered; it is called at most every `flushMs`. */
  constructor(
    private readonly flushMs: number,
    private readonly flush: () => unknown,
    private readonly log: StoreLog,
  ) {}

  get size(): number {
    return this.overlays.size;
  }

  set(id: string, progress: JobProgress): void {
    this.overlays.set(id, { ...progress });
    this.arm();
  }

  get(id: string): JobProgress | undefined {
    return this.overlays.get(id);
  }

  delete(id: string): void {
    this.overlays.delete(id);
  }

  /** Drops `id`'s buffer if it still holds `progress` (a newer tick is kept for the next flush). */
  settle(id: string, progress: JobProgress | undefined): void {
    if (this.overlays.get(id) === progress) this.overlays.delete(id);
  }

  /** What a flush writes; stopping the timer, as the flush is under way. */
  snapshot(): ProgressSnapshot {
    clearTimeout(this.timer);
    this.timer = undefined;
    return [...this.overlays];
  }

  /** After a flush committed: drops what it wrote, keeps ticks that came in meanwhile. */
  written(snapshot: ProgressSnapshot): void {
    for (const [id, progress] of snapshot) this.settle(id, progress);
  }

  /** The store closed: no further flush is scheduled (close() wrote the last one). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A processing job as it is now: the stored record plus progress not yet written. */
  withOverlay(record: JobRecord): JobRecord {
    const progress = this.overlays.get(record.id);
    if (progress === undefined || record.status !== "processing") return record;
    return { ...record, progress };
  }

  private async flushOrRetry(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.log.warn({ err: error }, "job progress could not be written; retrying");
      this.arm();
    }
  }

  private arm(): void {
    if (this.stopped) return;
    // Unref'd: buffered progress never keeps the process alive; close() writes it.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flushOrRetry();
    }, this.flushMs).unref();
  }
}
