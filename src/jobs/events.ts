// Job events for live clients (SSE): each job has a stream; the last events are kept
// so a client that reconnects with Last-Event-ID resumes where it left off.
// One counter numbers the events of all jobs, so a job's ids only ever grow, even
// when its stream is forgotten and started again. Once the service runs, the ids come
// from blocks reserved in the job database (useIds), so they keep growing across a
// restart whatever the clock does, and a client resuming with an id from before gets
// everything the process still knows. An id this hub never handed out (a client's
// bug, or another server's) names nothing: resumeAfter() turns it into "from the start".
// This hub is the one-box mode's; cluster mode's reads a durable log (durable-events.ts).
// Both answer through the interfaces below, which the runner and the API use.
import { EventEmitter } from "node:events";

export type JobEventName = "status" | "progress" | "preview" | "item" | "done";

export interface JobEvent {
  /** Increasing per job, across restarts too: the SSE `id:`. */
  id: number;
  name: JobEventName;
  data: unknown;
}

/** Durable id reservations (the job store): ids below the first one returned are all used. */
export interface EventIdSource {
  reserveEventIds(count: number): Promise<number>;
}

/** What the runner and the progress relay publish to. */
export interface JobEventPublisher {
  /** Never waits: a durable hub writes in the background, in order per job. */
  publish(jobId: string, name: JobEventName, data: unknown): void;
  /** Whether the last event this process published for the job is `done`: an end is announced once. */
  announcedEnd(jobId: string): boolean;
}

/** What the SSE routes read. Reads are asynchronous: a durable hub asks its database. */
export interface JobEventSource {
  /** The id a client that sent Last-Event-ID `lastEventId` resumes after (0: from the start). */
  resumeAfter(lastEventId: number): Promise<number>;
  /** The job's events after `lastEventId` still kept (the newest BACKLOG_EVENTS), oldest first. */
  since(jobId: string, lastEventId: number): Promise<JobEvent[]>;
  /** Live events of the job from now on, in id order; returns the unsubscribe. */
  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void;
}

/** Both sides, with a life: started before the first publish, closed after the last. */
export interface JobEvents extends JobEventPublisher, JobEventSource {
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Hears of every event a hub publishes (metrics, webhooks). */
export type JobEventObserver = (jobId: string, event: JobEvent) => void;

/** Events of a job a reconnecting client can still get: the newest this many. */
export const BACKLOG_EVENTS = 200;

interface JobStream {
  recent: JobEvent[];
  finished: boolean;
}

const KEEP_JOBS = 1000;
/**
 * Ids reserved at a time; the next block is reserved once half of one is used, so a
 * publish never waits for the database, and a crash skips at most a block of ids.
 */
const ID_BLOCK = 10_000;

export class JobEventHub implements JobEventPublisher, JobEventSource {
  readonly #streams = new Map<string, JobStream>();
  readonly #emitter = new EventEmitter<Record<string, [JobEvent]>>();
  /** Ids count from 1 in memory only until useIds() gives the hub a durable source. */
  #nextId = 1;
  #source: EventIdSource | undefined;
  /** Every id below this one is reserved in the source. */
  #reservedUpTo = 0;
  #reserving = false;

  constructor() {
    this.#emitter.setMaxListeners(0); // many SSE clients may watch one job
  }

  /** From now on, ids come from `source`, reserved ahead of use; call it before the first publish. */
  async useIds(source: EventIdSource): Promise<void> {
    const first = await source.reserveEventIds(ID_BLOCK);
    this.#source = source;
    this.#nextId = first;
    this.#reservedUpTo = first + ID_BLOCK;
  }

  publish(jobId: string, name: JobEventName, data: unknown): JobEvent {
    const stream = this.#stream(jobId);
    const event: JobEvent = { id: this.#nextId++, name, data };
    this.#reserveAhead();
    stream.recent.push(event);
    stream.finished = name === "done";
    if (stream.recent.length > BACKLOG_EVENTS) stream.recent.shift();
    this.#emitter.emit(jobId, event);
    return event;
  }

  /** Events after `lastEventId` still kept, oldest first. */
  since(jobId: string, lastEventId: number): Promise<JobEvent[]> {
    const recent = this.#streams.get(jobId)?.recent ?? [];
    return Promise.resolve(recent.filter((event) => event.id > lastEventId));
  }

  announcedEnd(jobId: string): boolean {
    return this.#streams.get(jobId)?.recent.at(-1)?.name === "done";
  }

  /**
   * The id a client that sent `lastEventId` resumes after: that id when this service
   * handed it out (in this run or an earlier one), else 0, from the start. An id from the
   * future would otherwise hold back every event until the counter passed it.
   */
  resumeAfter(lastEventId: number): Promise<number> {
    const handedOut = Number.isSafeInteger(lastEventId) && lastEventId > 0;
    return Promise.resolve(handedOut && lastEventId < this.#nextId ? lastEventId : 0);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.#emitter.on(jobId, listener);
    return () => this.#emitter.off(jobId, listener);
  }

  /**
   * Reserves the next block once half of this one is used. Should the store not write
   * for now, the next publish tries again. Ids go on meanwhile: past the reservation only
   * if half a block of events passes first, and then the reservation made as soon as the
   * one under way ends covers them.
   */
  #reserveAhead(): void {
    const source = this.#source;
    if (!source || this.#reserving || this.#reservedUpTo - this.#nextId > ID_BLOCK / 2) return;
    this.#reserving = true;
    const count = ID_BLOCK + Math.max(0, this.#nextId - this.#reservedUpTo);
    source.reserveEventIds(count).then(
      (first) => {
        this.#reserving = false;
        this.#reservedUpTo = first + count;
        this.#reserveAhead(); // a burst may have used up half of the new block already
      },
      () => {
        this.#reserving = false; // the next publish tries again
      },
    );
  }

  #stream(jobId: string): JobStream {
    let stream = this.#streams.get(jobId);
    if (!stream) {
      stream = { recent: [], finished: false };
      this.#streams.set(jobId, stream);
      if (this.#streams.size > KEEP_JOBS) this.#forgetOne();
    }
    return stream;
  }

  /** Forgets the oldest finished job's stream; the oldest of all when none has finished. */
  #forgetOne(): void {
    let victim: string | undefined;
    for (const [jobId, stream] of this.#streams) {
      victim ??= jobId;
      if (stream.finished) {
        victim = jobId;
        break;
      }
    }
    if (victim !== undefined) this.#streams.delete(victim);
  }
}

/** A job followed by followJobEvents(). */
export interface FollowedJob {
  /** How many events the backlog had. */
  backlog: number;
  unsubscribe: () => void;
}

/**
 * Passes a job's events after `lastEventId` to `deliver`: the backlog, then live events,
 * each once and in id order. It subscribes before reading the backlog, so nothing
 * published meanwhile is lost, and holds live events back until the backlog is out; ids
 * tell repeats apart (a live event may also be in the backlog).
 */
export async function followJobEvents(
  source: JobEventSource,
  jobId: string,
  lastEventId: number,
  deliver: (event: JobEvent) => void,
): Promise<FollowedJob> {
  let lastId = lastEventId;
  const pass = (event: JobEvent) => {
    if (event.id <= lastId) return;
    lastId = event.id;
    deliver(event);
  };
  let held: JobEvent[] | undefined = [];
  const unsubscribe = source.subscribe(jobId, (event) => {
    if (held) held.push(event);
    else pass(event);
  });
  let backlog: JobEvent[];
  try {
    backlog = await source.since(jobId, lastEventId);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  for (const event of backlog) pass(event);
  const waiting = held;
  held = undefined;
  for (const event of waiting) pass(event);
  return { backlog: backlog.length, unsubscribe };
}
