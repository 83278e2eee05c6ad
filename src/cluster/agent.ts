// A GPU host in cluster mode (docs/cluster.md): its engines take work from the shared
// queue in the database. An engine that is idle reads a bounded set of pending jobs,
// orders them with the one-box scheduler's policy (type class, priority, aging, affinity
// to what that engine has loaded, fair share across the keys in the set) and claims its
// pick by id under a lease; a lost race picks again. The leases of running jobs are
// renewed on a timer: one that is gone (the job was cancelled, or this host was cut off
// long enough to be reaped) stops its engine, and its run commits nothing.
import type { Logger } from "pino";
import { TERMINAL_STATUSES } from "../contract/requests.js";
import { JobCancelledError, JobYieldedError } from "../engine/errors.js";
import type { EnginePool } from "../engine/pool.js";
import type { Plan, ResultEvent } from "../engine/protocol.js";
import { pendingItems } from "../jobs/batch-chunks.js";
import { describeFailure, isRetriable } from "../jobs/failures.js";
import type { JobEventPublisher } from "../jobs/events.js";
import { completedProgress, ProgressRelay } from "../jobs/progress-relay.js";
import { queueEntryOf } from "../jobs/queue-entries.js";
import { finalResult } from "../jobs/run-results.js";
import { DEFAULT_POLICY, type SchedulerPolicy } from "../scheduler/policy.js";
import { PriorityDispatcher } from "../scheduler/priority-dispatcher.js";
import type { EngineLoadout, QueueEntry } from "../scheduler/types.js";
import { untilWritten } from "../store/errors.js";
import type { Lease, LeasedJobStore } from "../store/leases.js";
import type { JobRecord } from "../store/types.js";
import { LeasedWrites } from "./leased-writes.js";
import { reapExpiredLeases } from "./reaper.js";

/** Where a run's files live on this host, and how its outputs become artifact keys. */
export interface RunStorage {
  /** The plan of the job's next run, its inputs on this host and its outputs into a local folder. */
  prepare(job: JobRecord, lease: Lease): Promise<Plan>;
  /**
   * The artifact key a file the engine wrote has (once published), undefined for a file
   * outside the run's outputs.
   */
  keyOf(jobId: string, lease: Lease, path: string): string | undefined;
  /**
   * Makes the finished files of the run's outputs folder readable by every replica under
   * their keys (an upload, or nothing when every process sees the folder).
   */
  publish(jobId: string, lease: Lease): Promise<void>;
  /**
   * The run stopped and its job will run again, maybe on another host: what that run
   * needs of this one (a video's section checkpoint) is shared. Called before the job is
   * given back, so that no host claims it sooner.
   */
  share(jobId: string): Promise<void>;
  /** After a run, whatever its end: this host's leftovers of it go. */
  runEnded(jobId: string, terminal: boolean): Promise<void>;
}

export interface AgentOptions {
  /** Unique per agent process: the owner of its leases. */
  id: string;
  host: string;
  store: LeasedJobStore;
  pool: EnginePool;
  storage: RunStorage;
  events: JobEventPublisher;
  logger: Logger;
  maxAttempts: number;
  /** A lease's length; renewed every third of it. */
  leaseMs: number;
  /** How often an idle engine looks for work when nothing woke it. */
  pollMs: number;
  /** Candidates read per claim: at most `perKey` per API key, `limit` in all. */
  candidates?: { perKey: number; limit: number };
  policy?: SchedulerPolicy;
  /** sections (default): a running video yields its engine to higher-class work waiting. */
  preempt?: "sections" | "off";
}

interface HeldRun {
  slotId: string;
  lease: Lease;
  /** The queue entry it was claimed as, for the yield decision. */
  entry: QueueEntry;
  /**
   * When the lease runs out by this host's clock (`performance.now()` ms): the time the
   * last granted claim or renewal was sent, plus the lease. A renewal that never answers
   * (this host is cut off) cannot push it on, so the run stops by itself about when the
   * reaper may hand the job to another host.
   */
  leaseEndsAt: number;
  /** The lease was found gone: the run commits nothing. */
  lost: boolean;
  /**
   * Its lease ran out by this host's clock, unrenewed (the database unreachable): the
   * engine is stopped and the job given back, if no other host holds it by then.
   */
  unrenewed: boolean;
  /** The run has ended and its end is being dealt with: nothing renews or stops it. */
  finished: boolean;
  /** It was lost to a cancel: finished, so its checkpoint goes too. */
  cancelled: boolean;
  /** This agent is stopping and gives the job back itself, once the engine has stopped. */
  givenBack: boolean;
  /** The run's end (its records written, its files dealt with). */
  ended?: Promise<void>;
}

const DEFAULT_CANDIDATES = { perKey: 20, limit: 200 };
/** How long a stopping agent waits for its engines to stop their runs. */
const STOP_WAIT_MS = 30_000;
const REMEMBER_YIELDS = 10_000;

export class ClusterAgent {
  readonly #o: AgentOptions;
  readonly #relay: ProgressRelay;
  readonly #writes: LeasedWrites;
  readonly #held = new Map<string, HeldRun>();
  /** Engines looking for work right now (a claim is a database round trip), and how. */
  readonly #claiming = new Map<string, Promise<void>>();
  readonly #loadouts = new Map<string, EngineLoadout>();
  readonly #timers: NodeJS.Timeout[] = [];
  /** How often each video this agent ran yielded its engine (bounded by the policy). */
  readonly #yields = new Map<string, number>();
  /** The video asked to yield and not yet off its engine: one at a time. */
  #yielding: string | undefined;
  #stopping = false;

  constructor(options: AgentOptions) {
    this.#o = options;
    this.#writes = new LeasedWrites({
      store: options.store,
      leaseOf: (jobId) => this.#held.get(jobId)?.lease,
      onLost: (jobId) => {
        this.#lost(jobId, "its lease is gone");
      },
      onError: (jobId, error) => {
        options.logger.warn({ job: jobId, err: error }, "a progress write failed; retrying");
      },
      flushMs: 1000,
    });
    this.#relay = new ProgressRelay(
      this.#writes,
      options.events,
      {
        keyOf: (jobId, path) => {
          const run = this.#held.get(jobId);
          return run && options.storage.keyOf(jobId, run.lease, path);
        },
      },
      options.logger,
    );
  }

  /** This agent's id: the owner of its leases. */
  get id(): string {
    return this.#o.id;
  }

  async start(): Promise<void> {
    await this.#heartbeat();
    this.#o.pool.on("idle", () => {
      this.#pump();
    });
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => {
        task().catch((error: unknown) => {
          this.#o.logger.warn({ err: error }, "an agent task failed; it runs again");
        });
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#o.pollMs, async () => {
      this.#stopUnrenewed();
      this.#pump();
      await this.#askToYield();
    });
    every(Math.max(100, this.#o.leaseMs / 3), () => this.#heartbeat());
    this.#pump();
  }

  /**
   * A graceful stop, before the engines go down: nothing new is claimed, and every run
   * still held goes back to pending with its attempt given back (a stop is not the job's
   * failure); its engine is stopped by the pool's shutdown.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#writes.close();
    // A claim under way may still win its job: it is given back with the others.
    await Promise.all(this.#claiming.values());
    // A run already lost (cancelled, taken back) or ending ends as it would have.
    const held = [...this.#held.entries()].filter(([, run]) => !run.lost && !run.finished);
    for (const [jobId, run] of held) {
      run.lost = true;
      run.givenBack = true;
      this.#o.pool.cancel(jobId);
    }
    // The engines stop first (a cancel is taken between steps), so that what is shared
    // is the last thing they wrote; an engine that does not is stopped by the pool's
    // shutdown after this.
    await Promise.race([
      Promise.all(held.map(([, run]) => run.ended ?? Promise.resolve())),
      new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref()),
    ]);
    await Promise.allSettled(held.map(([jobId, run]) => this.#giveBackOnStop(jobId, run)));
    await this.#o.store.removeAgent(this.#o.id).catch((error: unknown) => {
      this.#o.logger.warn({ err: error }, "leaving the agent list failed; it ages out");
    });
  }

  /** A stopping agent's run back to pending, its checkpoint shared; its files then go. */
  async #giveBackOnStop(jobId: string, run: HeldRun): Promise<void> {
    const { store, storage, logger } = this.#o;
    try {
      await this.#share(jobId);
      await store.releaseLeased(run.lease);
    } catch (error) {
      logger.warn({ job: jobId, err: error }, "giving the job back failed; its lease runs out");
    }
    // An engine still running may write there yet: its run cleans up when it ends.
    if (!run.finished) {
      run.givenBack = false;
      return;
    }
    await storage.runEnded(jobId, false).catch((error: unknown) => {
      logger.warn({ job: jobId, err: error }, "removing the run's local files failed");
    });
  }

  #pump(): void {
    if (this.#stopping) return;
    for (const slotId of this.#o.pool.idleSlotIds()) {
      if (this.#claiming.has(slotId)) continue;
      const claiming = this.#claimFor(slotId)
        .catch((error: unknown) => {
          this.#o.logger.warn({ engine: slotId, err: error }, "claiming a job failed");
        })
        .finally(() => this.#claiming.delete(slotId));
      this.#claiming.set(slotId, claiming);
    }
  }

  /** Claims the job this engine should run next, and runs it; nothing when none waits. */
  async #claimFor(slotId: string): Promise<void> {
    const { store, pool } = this.#o;
    if (await store.queuePaused()) return;
    const { candidates, dispatcher } = await this.#waiting();
    const jobs = new Map(candidates.map((job) => [job.id, job]));
    const engine = { id: slotId, loadout: this.#loadouts.get(slotId) ?? null };
    // Each lost race takes one candidate out of the running: bounded by the set's size.
    for (let tries = 0; tries < candidates.length && !this.#stopping; tries++) {
      const entry = dispatcher.next(engine, Date.now());
      const job = entry && jobs.get(entry.jobId);
      if (!entry || !job) return;
      if (!pool.claim(slotId, job.id)) return;
      const sentAt = performance.now();
      const lease = await store
        .claim(job.id, this.#o.id, this.#o.leaseMs)
        .catch((error: unknown) => {
          pool.release(slotId, job.id);
          throw error;
        });
      if (!lease) {
        pool.release(slotId, job.id);
        continue;
      }
      this.#loadouts.set(slotId, entry.affinity);
      const run: HeldRun = {
        slotId,
        lease,
        entry,
        lost: false,
        unrenewed: false,
        finished: false,
        cancelled: false,
        givenBack: false,
        leaseEndsAt: sentAt + this.#o.leaseMs,
      };
      this.#held.set(job.id, run);
      run.ended = this.#run(
        slotId,
        { ...job, status: "processing", attempts: lease.attempt },
        lease,
      );
      return;
    }
  }

  /** The pending jobs this agent chooses from, in a scheduler of their own. */
  async #waiting(): Promise<{ candidates: JobRecord[]; dispatcher: PriorityDispatcher }> {
    const { store, policy = DEFAULT_POLICY } = this.#o;
    // A job this host still holds (its last run ending) is not claimed again until it ends.
    const candidates = (await store.candidates(this.#o.candidates ?? DEFAULT_CANDIDATES)).filter(
      (job) => !this.#held.has(job.id),
    );
    const dispatcher = new PriorityDispatcher(policy);
    for (const job of candidates) dispatcher.enqueue(queueEntryOf(job));
    return { candidates, dispatcher };
  }

  /**
   * Every engine here busy: when the scheduler says a waiting job should take a running
   * video's engine (a higher class that outscores it, aging included, and the video has
   * yields left), the video stops at its next section boundary and goes back to pending
   * without losing an attempt, to resume from its checkpoint (docs/architecture.md §5).
   * One request at a time; the count is this agent's (another host's run starts anew).
   */
  async #askToYield(): Promise<void> {
    const { pool, store, logger } = this.#o;
    if (this.#o.preempt === "off" || this.#yielding || pool.idleSlotIds().length > 0) return;
    const videos = [...this.#held].filter(([, run]) => run.entry.type === "video" && !run.lost);
    if (videos.length === 0 || (await store.queuePaused())) return;
    const { dispatcher } = await this.#waiting();
    for (const [jobId, run] of videos) {
      const engine = { id: run.slotId, loadout: this.#loadouts.get(run.slotId) ?? null };
      const yields = this.#yields.get(jobId) ?? 0;
      const waiting = dispatcher.preemptor(run.entry, engine, yields, Date.now());
      if (!waiting || !pool.yield(jobId)) continue;
      this.#yielding = jobId;
      this.#yields.set(jobId, yields + 1);
      // A video that finished on another host is never seen here again: keep the newest.
      if (this.#yields.size > REMEMBER_YIELDS)
        this.#yields.delete(this.#yields.keys().next().value ?? "");
      logger.info(
        { job: jobId, engine: run.slotId, for: waiting.jobId },
        "asking a video to yield",
      );
      return;
    }
  }

  async #run(slotId: string, job: JobRecord, lease: Lease): Promise<void> {
    const { pool, events, logger } = this.#o;
    const jobId = job.id;
    logger.info({ job: jobId, engine: slotId, attempt: lease.attempt }, "job claimed");
    events.publish(jobId, "status", { status: "processing" });
    let terminal = false;
    try {
      const plan = await this.#o.storage.prepare(job, lease);
      const result = await pool
        .run(slotId, jobId, plan, this.#relay.runOptions(job))
        // Whatever the run's end, the items it reported are recorded before it is judged.
        .finally(() => this.#relay.settled(jobId));
      terminal = await this.#commit(job, lease, plan, result);
    } catch (error) {
      pool.release(slotId, jobId);
      terminal = await this.#onRunError(job, lease, error).catch((failure: unknown) => {
        logger.error({ job: jobId, err: failure }, "recording the run's end failed");
        return false;
      });
    } finally {
      const run = this.#held.get(jobId);
      if (run) run.finished = true;
      terminal ||= run?.cancelled ?? false;
      if (this.#yielding === jobId) this.#yielding = undefined;
      if (terminal) this.#yields.delete(jobId);
      this.#writes.forget(jobId);
      this.#relay.forget(jobId);
      // A run given back by a stopping agent leaves its files to the stop, which shares them.
      if (!run?.givenBack) {
        await this.#o.storage.runEnded(jobId, terminal).catch((error: unknown) => {
          logger.warn({ job: jobId, err: error }, "removing the run's local files failed");
        });
      }
      // Only now may this host claim the job again: its files are dealt with.
      this.#held.delete(jobId);
    }
  }

  /** Records a run that ended well: completed, or a batch back to pending for its next part. */
  async #commit(job: JobRecord, lease: Lease, plan: Plan, result: ResultEvent): Promise<boolean> {
    const { store } = this.#o;
    const run = this.#held.get(job.id);
    if (!run || run.lost) return false;
    const read = () => this.#durably(job.id, () => store.get(job.id));
    await this.#relay.failUnreported(plan, read);
    const current = await read();
    if (!current) return false;
    await this.#o.storage.publish(job.id, lease);
    if (current.type === "batch_image" && pendingItems(current).length > 0) {
      await this.#giveBack(job.id, () => store.releaseLeased(lease));
      return false;
    }
    const final = finalResult(current, result, (id, path) =>
      this.#o.storage.keyOf(id, lease, path),
    );
    const progress = this.#relay.finalProgress(job.id, current.progress.total);
    if (!(await this.#durably(job.id, () => store.completeLeased(lease, final, progress)))) {
      this.#o.logger.warn({ job: job.id }, "the finished run's lease was gone: not recorded");
      return false;
    }
    await this.#announceEnd(job.id);
    return true;
  }

  /** Retried (attempts left, a retriable failure) or failed; nothing when the lease is gone. */
  async #onRunError(job: JobRecord, lease: Lease, error: unknown): Promise<boolean> {
    const { store, logger, maxAttempts } = this.#o;
    const run = this.#held.get(job.id);
    // Cancelled (the replica announced it), stopped, or its lease taken: nothing to record.
    if (run?.lost) return false;
    // Yielded, or stopped here when its lease ran out unrenewed: back to pending without
    // costing an attempt, unless another host holds the job by now (the lease decides).
    if (run?.unrenewed || error instanceof JobYieldedError) {
      await this.#giveBack(job.id, () => store.releaseLeased(lease));
      return false;
    }
    if (error instanceof JobCancelledError) return false;
    const reason = describeFailure(error);
    const retriable = isRetriable(error);
    logger.warn({ job: job.id, code: reason.code, retriable }, reason.message);
    if (retriable && lease.attempt < maxAttempts) {
      await this.#giveBack(job.id, () => store.requeueLeased(lease, reason), { retry: reason });
      return false;
    }
    if (!(await this.#durably(job.id, () => store.failLeased(lease, reason)))) return false;
    await this.#announceEnd(job.id);
    return true;
  }

  /** Shares what the job's next run needs of this one; a failure costs that run its head start. */
  async #share(jobId: string): Promise<void> {
    await this.#o.storage.share(jobId).catch((error: unknown) => {
      this.#o.logger.warn(
        { job: jobId, err: error },
        "sharing the run's checkpoint failed: its next run starts from the beginning",
      );
    });
  }

  /**
   * Gives the job back to the queue (`write`, durably) once its next run has what it
   * needs, and says so with a pending status (with `extra`) when the lease still held.
   */
  async #giveBack(
    jobId: string,
    write: () => Promise<boolean>,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await this.#share(jobId);
    if (await this.#durably(jobId, write)) {
      this.#o.events.publish(jobId, "status", { status: "pending", ...extra });
    }
  }

  /**
   * A run's end, tried until the database answers (a partition, a restart of the server):
   * then the lease decides whether it still counts.
   */
  #durably<T>(jobId: string, write: () => Promise<T>): Promise<T> {
    return untilWritten(write, (error) => {
      this.#o.logger.warn(
        { job: jobId, reason: error.reason },
        "the shared queue cannot be reached; the run's end is recorded once it can",
      );
    });
  }

  /** The final events of a job this agent finished, once its record says so. */
  async #announceEnd(jobId: string): Promise<void> {
    const job = await this.#o.store.get(jobId);
    if (!job || !TERMINAL_STATUSES.includes(job.status)) return;
    const { events } = this.#o;
    if (job.status === "completed") events.publish(jobId, "progress", completedProgress(job));
    events.publish(jobId, "status", { status: job.status });
    events.publish(jobId, "done", { status: job.status });
    this.#o.logger.info({ job: jobId, status: job.status, attempts: job.attempts }, "job finished");
  }

  /** A run whose lease is gone stops at once and commits nothing. */
  #lost(jobId: string, why: string): void {
    const run = this.#held.get(jobId);
    if (!run || run.lost) return;
    run.lost = true;
    this.#o.logger.warn({ job: jobId, engine: run.slotId }, `stopping the job: ${why}`);
    this.#o.pool.cancel(jobId);
  }

  /**
   * Stops every run whose lease ran out by this host's clock: its renewals did not reach
   * the database (a partition, a database outage), so another host may hold the job now.
   * The run's end gives the job back if none does. The poll timer calls this, so it runs
   * even while renewals hang.
   */
  #stopUnrenewed(): void {
    const now = performance.now();
    for (const [jobId, run] of this.#held) {
      if (run.lost || run.unrenewed || run.finished || now < run.leaseEndsAt) continue;
      run.unrenewed = true;
      this.#o.logger.warn(
        { job: jobId, engine: run.slotId },
        "stopping the job: no renewal reached the database in time",
      );
      this.#o.pool.cancel(jobId);
    }
  }

  /** Renews every held lease, reports this agent, and reaps expired leases cluster-wide. */
  async #heartbeat(): Promise<void> {
    const { store, pool, leaseMs, maxAttempts, logger } = this.#o;
    await Promise.all(
      [...this.#held.entries()].map(async ([jobId, run]) => {
        if (run.lost || run.finished) return;
        const sentAt = performance.now();
        const renewal = await store.renew(run.lease, leaseMs);
        // Heartbeats may overlap while the database is slow: the latest grant counts.
        if (renewal.held && !renewal.cancelled) {
          run.leaseEndsAt = Math.max(run.leaseEndsAt, sentAt + leaseMs);
        }
        if (renewal.cancelled) {
          run.cancelled = true;
          this.#lost(jobId, "it was cancelled");
        } else if (!renewal.held) this.#lost(jobId, "its lease expired and was taken back");
      }),
    );
    await store.heartbeatAgent({
      id: this.#o.id,
      host: this.#o.host,
      engines: pool.slots().map((slot) => ({
        id: slot.id,
        state: slot.state,
        job: slot.jobId,
        loadout: this.#loadouts.get(slot.id) ?? null,
      })),
    });
    const reaped = await reapExpiredLeases(store, this.#o.events, maxAttempts, logger);
    if (reaped.requeued.length > 0) this.#pump();
  }
}
