// Webhook messages and their attempts on PostgreSQL: the same table and semantics as
// src/store/webhook-deliveries.ts, so that `framepack serve` on a database URL keeps its
// webhooks, but for due(), which takes the messages it returns, so that the senders of
// several replicas never send one message at once (docs/cluster.md). Times are the
// sender's milliseconds, as on SQLite.
import { randomUUID } from "node:crypto";
import type { Database } from "./postgres-connection.js";
import {
  toAttempt,
  toDelivery,
  type AttemptOutcome,
  type AttemptRow,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryRow,
  type NewDelivery,
  type WebhookDeliveryStore,
} from "./webhook-deliveries.js";

/** How long a replica's sender holds the messages it took: past the longest receiver timeout (300 s). */
const SENDING_MS = 10 * 60_000;

const DELIVERY_COLUMNS =
  "id, job_id, event, dedupe_key, url, payload, status, attempts, created_at, " +
  "next_attempt_at, give_up_at";

export class PostgresWebhookDeliveries implements WebhookDeliveryStore {
  /** Which store took a message: this one gives back what it took when it closes. */
  private readonly taker = randomUUID();

  constructor(private readonly db: Database) {}

  async add(d: NewDelivery): Promise<boolean> {
    // Nothing on a taken id or dedupe key, as SQLite's INSERT OR IGNORE.
    const added = await this.db.run(
      `INSERT INTO webhook_deliveries
         (id, job_id, event, dedupe_key, url, payload, status, created_at, next_attempt_at, give_up_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $8)
       ON CONFLICT DO NOTHING`,
      [d.id, d.jobId, d.event, d.dedupeKey, d.url, d.payload, d.createdAt, d.giveUpAt],
    );
    return added === 1;
  }

  /**
   * Pending messages due at `now`, oldest first, taken for SENDING_MS: their next attempt
   * moves that far ahead, so that the sender of another replica skips them; record() sets
   * the real one, release() gives back the unsent ones at a graceful stop, and those of a
   * process that died are sent again once SENDING_MS have passed.
   */
  async due(now: number, limit: number): Promise<Delivery[]> {
    // Answered as they were when taken (their due time), as SQLite's due() answers.
    const rows = await this.db.rows<DeliveryRow>(
      `WITH due AS (
         SELECT id, next_attempt_at AS was FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $2
         FOR UPDATE SKIP LOCKED
       ), taken AS (
         UPDATE webhook_deliveries AS d SET next_attempt_at = $1::bigint + $3::bigint, taken_by = $4
         FROM due WHERE d.id = due.id
         RETURNING d.*, due.was
       )
       SELECT ${DELIVERY_COLUMNS.replace("next_attempt_at", "was AS next_attempt_at")}
       FROM taken ORDER BY was, seq`,
      [now, limit, SENDING_MS, this.taker],
    );
    return rows.map(toDelivery);
  }

  async nextDue(): Promise<number | undefined> {
    const [row] = await this.db.rows<{ next: number | null }>(
      "SELECT min(next_attempt_at) AS next FROM webhook_deliveries WHERE status = 'pending'",
    );
    return row?.next ?? undefined;
  }

  record(id: string, attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void> {
    return this.db.transaction(async (sql) => {
      const changed = await sql.run(
        `UPDATE webhook_deliveries
         SET status = $2, attempts = attempts + 1, next_attempt_at = coalesce($3, next_attempt_at),
             taken_by = NULL
         WHERE id = $1 AND status = 'pending'`,
        [id, outcome.status, outcome.status === "pending" ? outcome.nextAttemptAt : null],
      );
      if (changed === 0) return; // gone with its job, or settled already
      await sql.run(
        `INSERT INTO webhook_attempts (delivery_id, attempt, at, duration_ms, status_code, error)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, attempt.attempt, attempt.at, attempt.durationMs, attempt.statusCode, attempt.error],
      );
    });
  }

  /** The messages this store took and did not send: due again at once (a graceful stop). */
  async release(now: number): Promise<void> {
    await this.db.run(
      `UPDATE webhook_deliveries SET next_attempt_at = $1, taken_by = NULL
       WHERE taken_by = $2 AND status = 'pending'`,
      [now, this.taker],
    );
  }

  async ofJob(jobId: string): Promise<(Delivery & { log: DeliveryAttempt[] })[]> {
    const rows = await this.db.rows<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE job_id = $1
       ORDER BY created_at, seq`,
      [jobId],
    );
    const attempts = await this.db.rows<AttemptRow & { delivery_id: string }>(
      `SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1::text[])
       ORDER BY delivery_id, attempt`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) => ({
      ...toDelivery(row),
      log: attempts.filter((a) => a.delivery_id === row.id).map(toAttempt),
    }));
  }

  unannounced(since: string): Promise<{ id: string; status: string }[]> {
    return this.db.rows<{ id: string; status: string }>(
      `SELECT id, status FROM jobs
       WHERE status IN ('completed', 'failed', 'cancelled') AND completed_at >= $1::timestamptz
         AND data ->> 'webhook' IS NOT NULL
         AND NOT EXISTS (
           SELECT 1 FROM webhook_deliveries d WHERE d.dedupe_key = jobs.id || ':' || jobs.status
         )`,
      [since],
    );
  }
}
