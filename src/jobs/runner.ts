// Running: free engines pull work in the scheduler's order; each run's end is recorded
// (completed, retried, failed, or a batch requeued for its next micro-batch) and every
// change published to live clients. A crash's leftovers are recovered at start.
// A state change the store cannot write for now (a full disk, a lock held elsewhere) is
// never dropped: a job that could not start goes back into the queue, which pauses with
// back-off until the store writes again, and the end of a run is retried until recorded.
import type { Logger } from "pino";
import { TERMINAL_STATUSES } from "../contract/requests.js";
import type { ArtifactStore } from "../artifacts/types.js";
import { JobCancelledError, JobYieldedError } from "../engine/errors.js";
import type { EnginePool } from "../engine/pool.js";
import type { Plan, ResultEvent } from "../engine/protocol.js";
import type { Dispatcher, EngineLoadout, QueueEntry } from "../scheduler/types.js";
import { StoreUnavailableError, untilWritten } from "../store/errors.js";
import type { JobRecord, JobResult, JobStore } from "../store/types.js";
import { pendingItems, runPlanFor } from "./batch-chunks.js";
import type { JobEventPublisher } from "./events.js";
import { describeFailure, isRetriable } from "./failures.js";
import { completedProgress, durationSeconds, ProgressRelay } from "./progress-relay.js";
import { queueEntryOf } from "./queue-entries.js";
import type { JobQueue } from "./queue.js";
import { finalResult } from "./run-results.js";

export interface RunnerOptions {
  store: JobStore;
  dispatcher: Dispatcher;
  pool: EnginePool;
  artifacts: ArtifactStore;
  events: JobEventPublisher;
  logger: Logger;
  /** Attempts before a job whose engine keeps dying fails for good. */
  maxAttempts: number;
  /** sections (default): running videos yield their engine to higher-class work (see #askToYield). */
  preempt?: "sections" | "off";
}

/** A job on an engine: the queue entry it was dispatched as, for the yield decision. */
interface RunningJob {
  slotId: string;
  entry: QueueEntry;
}

/** The queue's first pause when the store cannot write; it doubles while that lasts. */
const FIRST_STORE_PAUSE_MS = 500;
const LONGEST_STORE_PAUSE_MS = 30_000;

/** A job about to run, with the plan of this run. */
interface PreparedRun {
  job: JobRecord;
  plan: Plan;
}

export class JobRunner implements JobQueue {
  readonly #o: RunnerOptions;
  readonly #relay: ProgressRelay;
  /** The queue entry of each waiting job. */
  readonly #queued = new Map<string, string>();
  /** What each engine ran last, for the scheduler's affinity. */
  readonly #loadouts = new Map<string, EngineLoadout>();
  readonly #finishedListeners = new Set<(job: JobRecord) => void>();
  readonly #running = new Map<string, RunningJob>();
  /** How often each unfinished job yielded its engine (bounded by the scheduler policy). */
  readonly #yields = new Map<string, number>();
  /** The job asked to yield and not yet off its engine: one at a time. */
  #yielding: string | undefined;
  /** Set by stop(): no job starts, and runs the stop breaks are left to the store's requeue. */
  #stopping = false;
  /** Set while the queue pauses because the store could not write; it pumps when it fires. */
  #pauseTimer: NodeJS.Timeout | undefined;
  #pauseMs = FIRST_STORE_PAUSE_MS;
  /** Paused by a person (docs/api.md §6): no job starts; runs under way go on. */
  #paused = false;
  /** Batch jobs waiting between their micro-batches: running, so they go on while paused. */
  readonly #between = new Set<string>();

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.#relay = new ProgressRelay(
      options.store,
      options.events,
      options.artifacts,
      options.logger,
    );
  }

  /** Recovers jobs a crash left running, queues every pending job and starts pulling work. */
  async start(): Promise<void> {
    const report = await this.#o.store.recoverInterrupted(this.#o.maxAttempts);
    if (report.requeued.length || report.failed.length) {
      this.#o.logger.warn(report, "recovered jobs interrupted by a restart");
    }
    // A job given up on never runs again: nothing else would clear its killed engine's temp files.
    await Promise.all(report.failed.map((id) => this.#o.artifacts.removePartialOutputs(id)));
    this.#paused = await this.#o.store.queuePaused();
    if (this.#paused) this.#o.logger.warn("the queue is paused: no job starts until it is resumed");
    for (const job of await this.#o.store.pending()) this.#enqueue(job);
    this.#o.pool.on("idle", () => {
      this.#pump();
    });
    this.#pump();
  }

  /**
   * Before the engines go down at a graceful stop: starts no further job, and leaves the
   * runs the stop breaks (cancelled, or their engine killed) as they are, for
   * `store.requeueStopped()` to give back without costing them an attempt.
   */
  stop(): void {
    this.#stopping = true;
    clearTimeout(this.#pauseTimer);
  }

  /** A new job: queued, announced, and started at once when an engine is free. */
  accept(job: JobRecord): void {
    this.#enqueue(job);
    this.#o.events.publish(job.id, "status", { status: job.status });
    this.#pump();
  }

  preview(jobId: string): string | null {
    return this.#relay.preview(jobId);
  }

  /** Position of a waiting job (a batch also waits between its micro-batches). */
  queuePosition(job: JobRecord): number | null {
    const entryId = this.#queued.get(job.id);
    if (entryId === undefined) return null;
    return this.#o.dispatcher.position(entryId, Date.now()) ?? null;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Pauses or resumes the queue, recorded first so that the state survives a restart.
   * While paused no job starts; running jobs (batches between micro-batches included)
   * go on, and submissions are still queued.
   */
  async setPaused(paused: boolean): Promise<void> {
    await this.#o.store.setQueuePaused(paused);
    if (this.#paused === paused) return;
    this.#paused = paused;
    this.#o.logger.info(paused ? "queue paused" : "queue resumed");
    this.#pump();
  }

  /**
   * A pending job's new priority: recorded, and its queue entry put back with it so that
   * its position and the dispatch order follow. False when the job is not pending.
   */
  async setPriority(job: JobRecord, priority: number): Promise<boolean> {
    if (!(await this.#o.store.setPriority(job.id, priority))) return false;
    // An entry already handed to an engine (starting now) keeps its run.
    const entryId = this.#queued.get(job.id);
    if (entryId !== undefined && this.#o.dispatcher.remove(entryId)) {
      this.#enqueue({ ...job, priority });
    }
    return true;
  }

  /** Pending: removed at once. Processing: the engine stops within one step. */
  async cancel(jobId: string): Promise<void> {
    // Recorded first: a store that cannot write leaves the job queued as it was. If an
    // engine takes it meanwhile, its start finds it cancelled and gives the engine back.
    const cancelled = await this.#o.store.cancel(jobId);
    this.#o.dispatcher.remove(this.#queued.get(jobId) ?? jobId);
    this.#queued.delete(jobId);
    this.#between.delete(jobId);
    if (cancelled) {
      this.#o.pool.cancel(jobId);
      await this.#finished(jobId);
    }
  }

  /** See JobService.onFinished. */
  onFinished(listener: (job: JobRecord) => void): () => void {
    this.#finishedListeners.add(listener);
    return () => {
      this.#finishedListeners.delete(listener);
    };
  }

  #enqueue(job: JobRecord): void {
    const entry = queueEntryOf(job);
    this.#o.dispatcher.enqueue(entry);
    this.#queued.set(job.id, entry.id);
  }

  #pump(): void {
    if (this.#stopping || this.#pauseTimer) return;
    const { pool, dispatcher } = this.#o;
    // Paused: only running batches take their next micro-batch.
    const startable = this.#paused
      ? (entry: QueueEntry) => this.#between.has(entry.jobId)
      : undefined;
    for (const slotId of pool.idleSlotIds()) {
      const entry = dispatcher.next(
        { id: slotId, loadout: this.#loadouts.get(slotId) ?? null },
        Date.now(),
        startable,
      );
      if (!entry) return;
      this.#queued.delete(entry.jobId);
      this.#between.delete(entry.jobId);
      pool.claim(slotId, entry.jobId);
      this.#loadouts.set(slotId, entry.affinity);
      this.#running.set(entry.jobId, { slotId, entry });
      this.#run(slotId, entry)
        .catch((error: unknown) => {
          this.#o.logger.error({ job: entry.jobId, err: error }, "running the job failed");
        })
        .finally(() => {
          this.#running.delete(entry.jobId);
          if (this.#yielding === entry.jobId) this.#yielding = undefined;
        });
    }
    this.#askToYield();
  }

  /**
   * Work still waits and every engine is busy: when the scheduler says a waiting entry
   * should take a running video's engine (a higher class that outscores it, aging
   * included, and the video has yields left), that video is asked to stop at its next
   * section boundary (docs/architecture.md §5). One request at a time: its engine's idle
   * event pumps again, and the waiting entry takes it by the ordinary order.
   */
  #askToYield(): void {
    const { dispatcher, pool, logger } = this.#o;
    // Paused, nothing waiting could take the engine: a yield would only stop the video.
    if (this.#o.preempt === "off" || this.#paused || this.#yielding) return;
    if (dispatcher.size() === 0) return;
    const now = Date.now();
    for (const [jobId, { slotId, entry }] of this.#running) {
      if (entry.type !== "video") continue;
      const engine = { id: slotId, loadout: this.#loadouts.get(slotId) ?? null };
      const yields = this.#yields.get(jobId) ?? 0;
      const waiting = dispatcher.preemptor(entry, engine, yields, now);
      if (!waiting || !pool.yield(jobId)) continue;
      this.#yielding = jobId;
      logger.info({ job: jobId, engine: slotId, for: waiting.jobId }, "asking a video to yield");
      return;
    }
  }

  /** Starts a pending job, or continues a batch between its micro-batches. */
  async #begin(jobId: string, slotId: string): Promise<JobRecord | undefined> {
    const { store, events } = this.#o;
    const job = await store.get(jobId);
    if (job?.status === "processing") return job; // the next micro-batch of a batch
    if (job?.status !== "pending" || !(await store.start(jobId))) return undefined;
    events.publish(jobId, "status", { status: "processing" });
    const started = await store.get(jobId);
    this.#o.logger.info(
      { job: jobId, type: job.type, engine: slotId, attempt: started?.attempts },
      "job started",
    );
    return started;
  }

  /** The job and the plan of its next run, or undefined when it no longer waits to run. */
  async #prepare(jobId: string, slotId: string): Promise<PreparedRun | undefined> {
    const job = await this.#begin(jobId, slotId);
    if (!job) return undefined;
    return { job, plan: await runPlanFor(job, this.#o.artifacts) };
  }

  async #run(slotId: string, entry: QueueEntry): Promise<void> {
    const { store, pool, logger } = this.#o;
    const { jobId } = entry;
    let prepared: PreparedRun | undefined;
    try {
      prepared = await this.#prepare(jobId, slotId);
    } catch (error) {
      // Paused before the slot is released, whose idle event pumps the queue again.
      if (error instanceof StoreUnavailableError) this.#waitForStore(entry, error);
      pool.release(slotId, jobId);
      if (error instanceof StoreUnavailableError) return;
      await this.#durably(jobId, () => store.fail(jobId, describeFailure(error)));
      await this.#finished(jobId);
      return;
    }
    this.#storeWrites();
    if (!prepared) {
      pool.release(slotId, jobId); // cancelled while it waited
      return;
    }
    const { job, plan } = prepared;
    try {
      const result = await pool
        .run(slotId, jobId, plan, this.#relay.runOptions(job))
        // Whatever the run's end, the items it reported are recorded before it is judged.
        .finally(() => this.#relay.settled(jobId));
      await this.#relay.failUnreported(plan, () => store.get(jobId));
      if (await this.#continueBatch(jobId)) return;
      await this.#durably(jobId, async () =>
        store.complete(
          jobId,
          await this.#finalResult(jobId, result),
          await this.#finalProgress(jobId),
        ),
      );
    } catch (error) {
      await this.#onRunError(job, error);
    } finally {
      logger.debug({ job: jobId, engine: slotId }, "engine run ended");
    }
    await this.#finished(jobId);
  }

  /** Requeues a batch with items left; true when it did. */
  async #continueBatch(jobId: string): Promise<boolean> {
    const job = await this.#o.store.get(jobId);
    if (job?.type !== "batch_image" || job.status !== "processing") return false;
    if (pendingItems(job).length === 0) return false;
    this.#enqueue(job);
    this.#between.add(jobId);
    this.#pump();
    return true;
  }

  async #finalResult(jobId: string, result: ResultEvent): Promise<JobResult> {
    const job = await this.#o.store.get(jobId);
    if (!job) throw new Error(`job ${jobId} disappeared while it ran`);
    return finalResult(job, result, (id, path) => this.#o.artifacts.keyOf(id, path));
  }

  /** The progress a completed job keeps: done, with the steps its run sampled. */
  async #finalProgress(jobId: string) {
    const job = await this.#o.store.get(jobId);
    return this.#relay.finalProgress(jobId, job?.progress.total ?? 0);
  }

  async #onRunError(job: JobRecord, error: unknown): Promise<void> {
    // A cancel() recorded it; a stop leaves it to the store's requeue.
    if (error instanceof JobCancelledError || this.#stopping) return;
    if (error instanceof JobYieldedError) {
      await this.#yielded(job, error);
      return;
    }
    const reason = describeFailure(error);
    const retriable = isRetriable(error);
    this.#o.logger.warn({ job: job.id, code: reason.code, retriable }, reason.message);
    const { store } = this.#o;
    const current = await store.get(job.id);
    if (retriable && current && current.attempts < this.#o.maxAttempts) {
      if (await this.#durably(job.id, () => store.requeue(job.id, reason))) {
        this.#enqueue(current);
        this.#o.events.publish(job.id, "status", { status: "pending", retry: reason });
      }
      return;
    }
    await this.#durably(job.id, () => store.fail(job.id, reason));
  }

  /**
   * Back to pending with its attempt given back, queued by its original arrival time and
   * with its affinity, to resume from its checkpoint on whichever engine takes it next.
   */
  async #yielded(job: JobRecord, error: JobYieldedError): Promise<void> {
    const { store, events, logger } = this.#o;
    if (!(await this.#durably(job.id, () => store.yieldBack(job.id)))) return;
    this.#yields.set(job.id, (this.#yields.get(job.id) ?? 0) + 1);
    logger.info({ job: job.id, sections_done: error.sectionsDone }, "video yielded its engine");
    this.#enqueue(job);
    events.publish(job.id, "status", { status: "pending", yielded: error.sectionsDone });
    this.#pump();
  }

  /** A state change that must not be lost: tried until the store takes it. */
  #durably<T>(jobId: string, write: () => Promise<T>): Promise<T> {
    return untilWritten(write, (error) => {
      this.#o.logger.warn(
        { job: jobId, reason: error.reason },
        "the job store cannot write the job's new state; retrying until it can",
      );
    });
  }

  /**
   * A job that could not start because the store cannot write goes back into the queue,
   * keeping its place, and no job starts for a while (back-off): the queue goes on by
   * itself once the store writes again.
   */
  #waitForStore(entry: QueueEntry, error: StoreUnavailableError): void {
    this.#o.dispatcher.enqueue(entry);
    this.#queued.set(entry.jobId, entry.id);
    if (this.#pauseMs === FIRST_STORE_PAUSE_MS) {
      this.#o.logger.warn(
        { reason: error.reason },
        "the job store cannot write: queued jobs wait until it can",
      );
    }
    clearTimeout(this.#pauseTimer);
    this.#pauseTimer = setTimeout(() => {
      this.#pauseTimer = undefined;
      this.#pump();
    }, this.#pauseMs);
    this.#pauseMs = Math.min(this.#pauseMs * 2, LONGEST_STORE_PAUSE_MS);
  }

  /** A job started: the store writes (again), and the next pause starts short. */
  #storeWrites(): void {
    if (this.#pauseMs !== FIRST_STORE_PAUSE_MS) {
      this.#o.logger.info("the job store writes again: the queue goes on");
    }
    this.#pauseMs = FIRST_STORE_PAUSE_MS;
  }

  /** Publishes a terminal state once the record says so. */
  async #finished(jobId: string): Promise<void> {
    const job = await this.#o.store.get(jobId);
    if (!job || !TERMINAL_STATUSES.includes(job.status)) return;
    // A cancelled run reports its end after cancel() did: announce it once. Its engine may
    // have written one more checkpoint in between, which goes too.
    if (this.#o.events.announcedEnd(jobId)) {
      await this.#o.artifacts.removeCheckpoint(jobId);
      return;
    }
    this.#relay.forget(jobId);
    this.#yields.delete(jobId);
    this.#o.logger.info(
      {
        job: jobId,
        type: job.type,
        status: job.status,
        attempts: job.attempts,
        duration_s: durationSeconds(job),
        ...(job.error && job.status !== "completed" ? { error: job.error.message } : {}),
      },
      "job finished",
    );
    // Live clients see the final progress too, not the engine's last report.
    if (job.status === "completed") {
      this.#o.events.publish(jobId, "progress", completedProgress(job));
    }
    this.#o.events.publish(jobId, "status", { status: job.status });
    this.#o.events.publish(jobId, "done", { status: job.status });
    for (const listener of this.#finishedListeners) {
      try {
        listener(job);
      } catch (error) {
        this.#o.logger.warn({ job: jobId, err: error }, "a finished-job listener failed");
      }
    }
    // After the announcement (no await may come between the "done" check and it).
    await this.#o.artifacts.removePartialOutputs(jobId);
    // Finished, failed or cancelled: no attempt will resume from it.
    await this.#o.artifacts.removeCheckpoint(jobId);
  }
}
