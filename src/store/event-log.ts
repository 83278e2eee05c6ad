// The durable job event log of cluster mode (docs/cluster.md, "Events"): every job's
// events in one table whose ids are global and increasing, so any replica serves any
// job's stream and resumes from Last-Event-ID. The hub in src/jobs/durable-events.ts
// talks to this interface only; src/store/postgres-events.ts implements it.

/** An event as stored: `id` is the table's (global, increasing; per job in commit order). */
export interface StoredJobEvent {
  id: number;
  name: string;
  data: unknown;
}

/** An event to append; the log gives it its id. */
export interface NewJobEvent {
  name: string;
  data: unknown;
}

/** A wake-up from another writer: new rows of `jobId`, the newest being `newestId`. */
export type EventWake = (jobId: string, newestId: number) => void;

export interface EventListening {
  /** Stops listening and closes the dedicated connection. */
  close(): Promise<void>;
}

export interface JobEventLog {
  /**
   * Appends `events` of one job in order and wakes every listener (after the commit).
   * One job's appends are serialised, so its ids commit in increasing order: a reader
   * that has seen id n of a job never later finds a smaller one of the same job.
   */
  append(jobId: string, events: readonly NewJobEvent[]): Promise<number[]>;
  /** The job's events after `afterId`, oldest first, at most `limit` (the oldest ones). */
  after(jobId: string, afterId: number, limit: number): Promise<StoredJobEvent[]>;
  /** The job's newest `limit` events after `afterId`, oldest first. */
  latest(jobId: string, afterId: number, limit: number): Promise<StoredJobEvent[]>;
  /** The newest id of the job (0 when it has none). */
  newestIdOf(jobId: string): Promise<number>;
  /** The newest id handed out to any job (0 when none). */
  newestId(): Promise<number>;
  /**
   * Listens on one dedicated connection: `onWake` for every append (of any process).
   * A dropped connection is reopened with back-off; `onReconnect` then tells the caller
   * that wake-ups may have been missed and it should read again. Resolves once listening.
   */
  listen(onWake: EventWake, onReconnect: () => void): Promise<EventListening>;
}
