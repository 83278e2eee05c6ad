// The webhook messages of jobs and every attempt to deliver them (migration 3): what
// the webhook sender (src/jobs/webhooks.ts) works from, so that a restart neither
// loses a message nor sends one again that its receiver took.
import type { Database } from "better-sqlite3";

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface NewDelivery {
  /** The message's webhook-id, the same on every attempt. */
  id: string;
  jobId: string;
  /** "completed", "start", ...: what the receiver subscribed to. */
  event: string;
  /** Set for events a job has once (per attempt): a second announcement adds nothing. */
  dedupeKey: string | null;
  url: string;
  /** The JSON body, fixed when the event happened: every attempt sends the same bytes. */
  payload: string;
  createdAt: number;
  /** Past this (milliseconds since the epoch) a failing message is given up. */
  giveUpAt: number;
}

export interface Delivery extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
}

export interface DeliveryAttempt {
  attempt: number;
  at: number;
  durationMs: number;
  /** The receiver's HTTP status; null when there was no answer (timeout, refused, ...). */
  statusCode: number | null;
  error: string | null;
}

/** What became of one attempt: the message's next state. */
export type AttemptOutcome =
  { status: "delivered" | "failed" } | { status: "pending"; nextAttemptAt: number };

/** The durable side of webhook delivery; every method may reject like a JobStore write. */
export interface WebhookDeliveryStore {
  /** Adds a message; false when one with the same dedupe key exists already. */
  add(delivery: NewDelivery): Promise<boolean>;
  /** Pending messages due at `now`, oldest first. */
  due(now: number, limit: number): Promise<Delivery[]>;
  /** When the next pending message falls due; undefined when none is pending. */
  nextDue(): Promise<number | undefined>;
  /** Records an attempt and the message's new state in one transaction. */
  record(id: string, attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void>;
  /** A job's messages, oldest first, each with its attempts. */
  ofJob(jobId: string): Promise<(Delivery & { log: DeliveryAttempt[] })[]>;
  /**
   * Terminal jobs finished since `since` whose request asked for a webhook but which have
   * no message for their final status: announcements a crash may have cut off.
   */
  unannounced(since: string): Promise<{ id: string; status: string }[]>;
}

/** A webhook_deliveries row, as both backends read it. */
export interface DeliveryRow {
  id: string;
  job_id: string;
  event: string;
  dedupe_key: string | null;
  url: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  give_up_at: number;
}

/** A webhook_attempts row, as both backends read it. */
export interface AttemptRow {
  attempt: number;
  at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
}

export const toDelivery = (row: DeliveryRow): Delivery => ({
  id: row.id,
  jobId: row.job_id,
  event: row.event,
  dedupeKey: row.dedupe_key,
  url: row.url,
  payload: row.payload,
  status: row.status,
  attempts: row.attempts,
  createdAt: row.created_at,
  nextAttemptAt: row.next_attempt_at,
  giveUpAt: row.give_up_at,
});

export const toAttempt = (row: AttemptRow): DeliveryAttempt => ({
  attempt: row.attempt,
  at: row.at,
  durationMs: row.duration_ms,
  statusCode: row.status_code,
  error: row.error,
});

/** The SQLite implementation; `attempt` is the job store's retry-on-lock wrapper. */
export class SqliteWebhookDeliveries implements WebhookDeliveryStore {
  readonly #attempt: <T>(work: () => T) => Promise<T>;
  readonly #s;
  readonly #record;

  constructor(db: Database, attempt: <T>(work: () => T) => Promise<T>) {
    this.#attempt = attempt;
    this.#s = {
      add: db.prepare<[NewDelivery]>(`
        INSERT OR IGNORE INTO webhook_deliveries
          (id, job_id, event, dedupe_key, url, payload, status, created_at, next_attempt_at, give_up_at)
        VALUES (@id, @jobId, @event, @dedupeKey, @url, @payload, 'pending', @createdAt, @createdAt, @giveUpAt)`),
      due: db.prepare<[number, number], DeliveryRow>(`
        SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
        ORDER BY next_attempt_at LIMIT ?`),
      nextDue: db
        .prepare<[], number>(
          "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'",
        )
        .pluck(),
      addAttempt: db.prepare<[{ id: string } & AttemptRow]>(`
        INSERT INTO webhook_attempts (delivery_id, attempt, at, duration_ms, status_code, error)
        VALUES (@id, @attempt, @at, @duration_ms, @status_code, @error)`),
      update: db.prepare<[{ id: string; status: DeliveryStatus; next: number | null }]>(`
        UPDATE webhook_deliveries
        SET status = @status, attempts = attempts + 1, next_attempt_at = coalesce(@next, next_attempt_at)
        WHERE id = @id AND status = 'pending'`),
      ofJob: db.prepare<[string], DeliveryRow>(
        "SELECT * FROM webhook_deliveries WHERE job_id = ? ORDER BY created_at, rowid",
      ),
      attempts: db.prepare<[string], AttemptRow>(
        "SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
      ),
      unannounced: db.prepare<[string], { id: string; status: string }>(`
        SELECT id, status FROM jobs
        WHERE status IN ('completed', 'failed', 'cancelled') AND completed_at >= ?
          AND json_extract(data, '$.webhook') IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries d WHERE d.dedupe_key = jobs.id || ':' || jobs.status
          )`),
    };
    this.#record = db.transaction(
      (id: string, attempt: DeliveryAttempt, outcome: AttemptOutcome) => {
        const changed = this.#s.update.run({
          id,
          status: outcome.status,
          next: outcome.status === "pending" ? outcome.nextAttemptAt : null,
        }).changes;
        if (changed === 0) return; // gone with its job, or settled already
        this.#s.addAttempt.run({
          id,
          attempt: attempt.attempt,
          at: attempt.at,
          duration_ms: attempt.durationMs,
          status_code: attempt.statusCode,
          error: attempt.error,
        });
      },
    );
  }

  add(delivery: NewDelivery): Promise<boolean> {
    return this.#attempt(() => this.#s.add.run(delivery).changes === 1);
  }

  due(now: number, limit: number): Promise<Delivery[]> {
    return this.#attempt(() => this.#s.due.all(now, limit).map(toDelivery));
  }

  nextDue(): Promise<number | undefined> {
    return this.#attempt(() => this.#s.nextDue.get() ?? undefined);
  }

  record(id: string, attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void> {
    return this.#attempt(() => {
      this.#record.immediate(id, attempt, outcome);
    });
  }

  ofJob(jobId: string): Promise<(Delivery & { log: DeliveryAttempt[] })[]> {
    return this.#attempt(() =>
      this.#s.ofJob.all(jobId).map((row) => ({
        ...toDelivery(row),
        log: this.#s.attempts.all(row.id).map(toAttempt),
      })),
    );
  }

  unannounced(since: string): Promise<{ id: string; status: string }[]> {
    return this.#attempt(() => this.#s.unannounced.all(since));
  }
}
