// Job events of cluster mode (docs/cluster.md, "Events"): every event goes into a durable
// log shared by all processes, whose ids (global, increasing) are the SSE ids, so a client
// may follow a job on any replica and resume there with Last-Event-ID. The log's
// notifications only wake this hub; it then reads the rows. Publishing never waits:
// events are queued per job, in order, and written in the background; progress and
// previews are coalesced (the latest wins) to a few a second per job, while status,
// item and done events are never dropped nor reordered. While the log cannot write,
// writes are retried with back-off and only superseded progress is let go.
import type { Logger } from "pino";
import type { EventListening, JobEventLog, NewJobEvent } from "../store/event-log.js";
import {
  BACKLOG_EVENTS,
  type JobEvent,
  type JobEventName,
  type JobEventObserver,
  type JobEvents,
} from "./events.js";

/** Events of which only the latest matters: coalesced, and let go when superseded. */
type CoalescedName = "progress" | "preview";

function isCoalesced(name: string): name is CoalescedName {
  return name === "progress" || name === "preview";
}

/** One job's events on their way into the log. */
interface Outbox {
  /** Due to be written, in order. */
  ready: NewJobEvent[];
  /** How many of the first `ready` ones an append is writing now (not to be touched). */
  inFlight: number;
  /** The latest progress/preview not yet due, per name. */
  held: Map<CoalescedName, unknown>;
  /** When a progress/preview of each name was last made ready. */
  lastReadyAt: Map<CoalescedName, number>;
  timer: NodeJS.Timeout | undefined;
  writing: Promise<void> | undefined;
}

/** One job's live readers in this process. */
interface Watch {
  listeners: Set<(event: JobEvent) => void>;
  /** The newest id delivered (or, before the first read, the job's newest at subscribe). */
  lastId: number;
  /** Whether lastId holds the job's newest id as of the subscription yet. */
  started: boolean;
  /** Resolves once started (or dropped): since() waits for it, see #watch(). */
  ready: Promise<void>;
  markReady: () => void;
  /** New rows may be there: read again. */
  stale: boolean;
  reading: boolean;
}

export interface DurableJobEventHubOptions {
  log: JobEventLog;
  logger: Logger;
  /** Hears of every event once it is written (metrics, webhooks). */
  observer?: JobEventObserver;
  /** The least time between two stored progress (or preview) events of a job. */
  coalesceMs?: number;
  /** How long close() waits for queued events to be written. */
  closeTimeoutMs?: number;
  /** Runs at the end of close(): what the log's owner releases (its connections). */
  onClosed?: () => Promise<void>;
}

/** Four progress and four preview events a second per job at most, as the relay sends. */
const COALESCE_MS = 250;
const CLOSE_TIMEOUT_MS = 5000;
/** Events per append: a backlog after an outage goes in a few statements, not one huge one. */
const APPEND_BATCH = 100;
/** Rows per read of a watch catching up. */
const READ_PAGE = 500;
const FIRST_RETRY_MS = 100;
const LONGEST_RETRY_MS = 5000;
/** Outboxes beyond which the idle ones are looked for and let go. */
const SWEEP_OUTBOXES = 1000;
/** The jobs whose last published event is remembered (for announcedEnd). */
const REMEMBER_JOBS = 10_000;

export class DurableJobEventHub implements JobEvents {
  readonly #log: JobEventLog;
  readonly #logger: Logger;
  readonly #observer: JobEventObserver | undefined;
  readonly #coalesceMs: number;
  readonly #closeTimeoutMs: number;
  readonly #onClosed: (() => Promise<void>) | undefined;
  readonly #appendListeners = new Set<(jobId: string) => void>();
  readonly #outboxes = new Map<string, Outbox>();
  readonly #watches = new Map<string, Watch>();
  readonly #lastPublished = new Map<string, JobEventName>();
  #listening: EventListening | undefined;
  /** The newest id known to be handed out (written here, or announced by the log). */
  #newestKnown = 0;
  #closed = false;
  /** Whether the log refuses writes now: logged once per outage. */
  #writesFailing = false;

  constructor(options: DurableJobEventHubOptions) {
    this.#log = options.log;
    this.#logger = options.logger;
    this.#observer = options.observer;
    this.#coalesceMs = options.coalesceMs ?? COALESCE_MS;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS;
    this.#onClosed = options.onClosed;
  }

  /** Listens to the log; rejects when the database cannot be reached. */
  async start(): Promise<void> {
    this.#listening = await this.#log.listen(
      (jobId, newestId) => {
        this.#wake(jobId, newestId);
      },
      () => {
        // Wake-ups of the time without a connection are lost: every watch reads again.
        for (const [jobId, watch] of this.#watches) this.#readAgain(jobId, watch);
      },
    );
    this.#known(await this.#log.newestId());
  }

  /** Writes what is queued (held progress included), waiting at most closeTimeoutMs. */
  async close(): Promise<void> {
    for (const [jobId, box] of this.#outboxes) this.#release(jobId, box);
    const writes = [...this.#outboxes.values()].flatMap((box) => box.writing ?? []);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#closeTimeoutMs);
    });
    await Promise.race([Promise.all(writes), timeout]);
    clearTimeout(timer);
    this.#closed = true;
    const lost = [...this.#outboxes.values()].reduce((sum, box) => sum + box.ready.length, 0);
    if (lost > 0) this.#logger.error({ events: lost }, "job events were not written before close");
    for (const watch of this.#watches.values()) watch.markReady();
    this.#watches.clear();
    await this.#listening?.close();
    await this.#onClosed?.();
  }

  publish(jobId: string, name: JobEventName, data: unknown): void {
    if (this.#closed) return;
    this.#remember(jobId, name);
    const box = this.#outbox(jobId);
    if (isCoalesced(name)) {
      this.#coalesce(jobId, box, name, data);
      return;
    }
    // Held progress goes first: it came before this event.
    this.#release(jobId, box);
    box.ready.push({ name, data });
    this.#write(jobId, box);
  }

  announcedEnd(jobId: string): boolean {
    return this.#lastPublished.get(jobId) === "done";
  }

  async resumeAfter(lastEventId: number): Promise<number> {
    if (!Number.isSafeInteger(lastEventId) || lastEventId <= 0) return 0;
    if (lastEventId <= this.#newestKnown) return lastEventId;
    // Perhaps handed out by another process a moment ago: the log knows.
    this.#known(await this.#log.newestId());
    return lastEventId <= this.#newestKnown ? lastEventId : 0;
  }

  async since(jobId: string, lastEventId: number): Promise<JobEvent[]> {
    // After the watch's starting point is read, so that together they leave no gap.
    await this.#watches.get(jobId)?.ready;
    const rows = await this.#log.latest(jobId, lastEventId, BACKLOG_EVENTS);
    return rows.map(asJobEvent);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    const watch = this.#watch(jobId);
    watch.listeners.add(listener);
    return () => {
      watch.listeners.delete(listener);
      if (watch.listeners.size > 0 || this.#watches.get(jobId) !== watch) return;
      this.#watches.delete(jobId);
      watch.markReady();
    };
  }

  #coalesce(jobId: string, box: Outbox, name: CoalescedName, data: unknown): void {
    const sinceLast = Date.now() - (box.lastReadyAt.get(name) ?? 0);
    if (!box.held.has(name) && sinceLast >= this.#coalesceMs) {
      box.lastReadyAt.set(name, Date.now());
      box.ready.push({ name, data });
      this.#write(jobId, box);
      return;
    }
    box.held.set(name, data); // the latest wins
    box.timer ??= setTimeout(
      () => {
        box.timer = undefined;
        this.#release(jobId, box);
      },
      Math.max(0, this.#coalesceMs - sinceLast),
    );
  }

  /** Makes the held progress/preview of a job ready and writes it. */
  #release(jobId: string, box: Outbox): void {
    clearTimeout(box.timer);
    box.timer = undefined;
    if (box.held.size === 0) return;
    for (const [name, data] of box.held) {
      box.lastReadyAt.set(name, Date.now());
      box.ready.push({ name, data });
    }
    box.held.clear();
    this.#write(jobId, box);
  }

  /** Starts the job's writer unless it runs: one append at a time per job keeps the order. */
  #write(jobId: string, box: Outbox): void {
    if (box.writing || box.ready.length === 0) return;
    box.writing = this.#drain(jobId, box).finally(() => {
      box.writing = undefined;
      if (box.ready.length > 0 && !this.#closed) {
        this.#write(jobId, box);
        return;
      }
      this.#forgetIfIdle(jobId, box);
    });
  }

  async #drain(jobId: string, box: Outbox): Promise<void> {
    let waitMs = FIRST_RETRY_MS;
    while (box.ready.length > 0 && !this.#closed) {
      const batch = box.ready.slice(0, APPEND_BATCH);
      box.inFlight = batch.length;
      try {
        const ids = await this.#log.append(jobId, batch);
        box.ready.splice(0, batch.length);
        box.inFlight = 0;
        waitMs = FIRST_RETRY_MS;
        this.#written(jobId, batch, ids);
      } catch (error) {
        box.inFlight = 0;
        this.#writeFailed(error, jobId, box);
        await sleep(waitMs);
        waitMs = Math.min(waitMs * 2, LONGEST_RETRY_MS);
      }
    }
  }

  #written(jobId: string, batch: readonly NewJobEvent[], ids: readonly number[]): void {
    if (this.#writesFailing) {
      this.#writesFailing = false;
      this.#logger.info("job events are written again");
    }
    const newest = ids.at(-1) ?? 0;
    this.#known(newest);
    for (const [index, event] of batch.entries()) {
      const id = ids[index];
      if (id !== undefined) this.#observe(jobId, asJobEvent({ ...event, id }));
    }
    // Read back, not handed on: another process may have written rows of this job between.
    this.#wake(jobId, newest);
  }

  #observe(jobId: string, event: JobEvent): void {
    try {
      this.#observer?.(jobId, event);
    } catch (error) {
      // Written is written: an observer's failure must not make the write be retried.
      this.#logger.warn({ err: error, job: jobId }, "a job event observer failed");
    }
  }

  /** Waits out the log; superseded progress goes, so memory stays bounded meanwhile. */
  #writeFailed(error: unknown, jobId: string, box: Outbox): void {
    if (!this.#writesFailing) {
      this.#writesFailing = true;
      this.#logger.warn(
        { err: error, job: jobId },
        "job events cannot be written for now; retrying, status and done events are kept",
      );
    }
    box.ready = [...box.ready.slice(0, box.inFlight), ...compacted(box.ready.slice(box.inFlight))];
  }

  #outbox(jobId: string): Outbox {
    let box = this.#outboxes.get(jobId);
    if (!box) {
      box = {
        ready: [],
        inFlight: 0,
        held: new Map(),
        lastReadyAt: new Map(),
        timer: undefined,
        writing: undefined,
      };
      this.#outboxes.set(jobId, box);
      if (this.#outboxes.size > SWEEP_OUTBOXES) {
        for (const [other, idle] of this.#outboxes) this.#forgetIfIdle(other, idle);
      }
    }
    return box;
  }

  /**
   * An outbox goes once written, unless a progress of it was let through so recently that
   * the next one must still wait (the coalescing needs that time). A job this process
   * announces but never finishes (an API replica's "pending") leaves nothing behind.
   */
  #forgetIfIdle(jobId: string, box: Outbox): void {
    const idle = box.ready.length === 0 && box.held.size === 0 && !box.writing;
    if (!idle) return;
    const lastReadyAt = Math.max(0, ...box.lastReadyAt.values());
    if (this.announcedEnd(jobId) || Date.now() - lastReadyAt >= this.#coalesceMs) {
      this.#outboxes.delete(jobId);
    }
  }

  #remember(jobId: string, name: JobEventName): void {
    this.#lastPublished.delete(jobId); // re-inserted as the newest
    this.#lastPublished.set(jobId, name);
    if (this.#lastPublished.size <= REMEMBER_JOBS) return;
    const oldest = this.#lastPublished.keys().next().value;
    if (oldest !== undefined) this.#lastPublished.delete(oldest);
  }

  #known(id: number): void {
    if (id > this.#newestKnown) this.#newestKnown = id;
  }

  /**
   * The job's watch. A new one first reads the job's newest id: events after it are
   * delivered live; since() reads only after that, so an event committed in between is
   * in its answer (one job's ids commit in order, see JobEventLog.append).
   */
  #watch(jobId: string): Watch {
    const existing = this.#watches.get(jobId);
    if (existing) return existing;
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const watch: Watch = {
      listeners: new Set(),
      lastId: 0,
      started: false,
      ready,
      markReady,
      stale: false,
      reading: false,
    };
    this.#watches.set(jobId, watch);
    void this.#read(jobId, watch);
    return watch;
  }

  /**
   * Calls `listener` with the job of every append to the log, by any process (a wake
   * only: the listener reads what it needs); returns the unsubscribe.
   */
  onAppend(listener: (jobId: string) => void): () => void {
    this.#appendListeners.add(listener);
    return () => {
      this.#appendListeners.delete(listener);
    };
  }

  #wake(jobId: string, newestId: number): void {
    this.#known(newestId);
    for (const listener of this.#appendListeners) listener(jobId);
    const watch = this.#watches.get(jobId);
    if (!watch || (watch.started && newestId <= watch.lastId)) return;
    this.#readAgain(jobId, watch);
  }

  #readAgain(jobId: string, watch: Watch): void {
    watch.stale = true;
    if (!watch.reading) void this.#read(jobId, watch);
  }

  /** Reads the watch's new rows until none is left, retrying with back-off on errors. */
  async #read(jobId: string, watch: Watch): Promise<void> {
    watch.reading = true;
    let waitMs = FIRST_RETRY_MS;
    try {
      while (this.#watches.get(jobId) === watch) {
        try {
          if (!watch.started) {
            watch.lastId = await this.#log.newestIdOf(jobId);
            watch.started = true;
            watch.markReady();
          }
          if (!watch.stale) return;
          watch.stale = false;
          await this.#catchUp(jobId, watch);
          waitMs = FIRST_RETRY_MS;
        } catch (error) {
          watch.stale = true;
          this.#logger.warn({ err: error, job: jobId }, "job events cannot be read; retrying");
          await sleep(waitMs);
          waitMs = Math.min(waitMs * 2, LONGEST_RETRY_MS);
        }
      }
    } finally {
      watch.reading = false;
    }
  }

  async #catchUp(jobId: string, watch: Watch): Promise<void> {
    for (;;) {
      const rows = await this.#log.after(jobId, watch.lastId, READ_PAGE);
      for (const row of rows) {
        if (row.id <= watch.lastId) continue;
        watch.lastId = row.id;
        this.#known(row.id);
        const event = asJobEvent(row);
        for (const listener of watch.listeners) this.#deliver(jobId, listener, event);
      }
      if (rows.length < READ_PAGE) return;
    }
  }

  #deliver(jobId: string, listener: (event: JobEvent) => void, event: JobEvent): void {
    try {
      listener(event);
    } catch (error) {
      // One client's failure is not the others': they still get this event.
      this.#logger.warn({ err: error, job: jobId }, "a job event listener failed");
    }
  }
}

function asJobEvent(row: { id: number; name: string; data: unknown }): JobEvent {
  return { id: row.id, name: row.name as JobEventName, data: row.data };
}

/**
 * The queue without superseded progress: a progress (or preview) followed by another of
 * its name before the next status, item or done event goes. What is left holds at most
 * one of each name between two of those, so an outage costs bounded memory.
 */
export function compacted(events: readonly NewJobEvent[]): NewJobEvent[] {
  const kept: NewJobEvent[] = [];
  const seen = new Set<string>();
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (!event) continue;
    if (!isCoalesced(event.name)) {
      seen.clear();
    } else if (seen.has(event.name)) {
      continue;
    } else {
      seen.add(event.name);
    }
    kept.push(event);
  }
  return kept.reverse();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}
