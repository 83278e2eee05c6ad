// The SQL of the PostgreSQL job store's one-box transitions and queries: the same
// conditions as SQLite's (src/store/sqlite-statements.ts), with positional parameters.
// Record times are the writing host's ISO strings, as on SQLite; only leases use the
// database's clock (src/store/postgres-leases.ts). A transition out of `processing`
// to `pending` clears the lease; a terminal one keeps its token, so that the holder's
// next renewal can tell "cancelled" from "lost" (docs/cluster.md).
import { likeContaining } from "./records.js";
import type { JobQuery } from "./types.js";

const ACTIVE = "status IN ('pending', 'processing')";
export const TERMINAL = "status IN ('completed', 'failed', 'cancelled')";
const CLEAR_LEASE = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL";
/** Every column of a job but the lease, as the record reads them. */
export const JOB_COLUMNS =
  "seq, id, legacy_id, type, status, data, plan, priority, api_key_hash, created_at, " +
  "started_at, completed_at, error, result, attempts, progress, batch_items";

/** ASCII letters folded to lower case, and no other character (as SQLite's LIKE does). */
const FOLD = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'";

/** `text` with its ASCII letters in lower case, as FOLD makes the stored prompts. */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

export const SQL = {
  insert: `INSERT INTO jobs (id, legacy_id, type, status, data, plan, priority, api_key_hash,
                             created_at, progress, batch_items)
           VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10)`,
  byId: `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`,
  byLegacyId: `SELECT ${JOB_COLUMNS} FROM jobs WHERE legacy_id = $1`,
  // A range on the id's unique index (bytewise: the column's collation is "C"); "~" sorts
  // after every character of a UUID.
  byIdPrefix: `SELECT ${JOB_COLUMNS} FROM jobs
               WHERE id >= $1 AND id < $2
                 AND ($4::boolean OR api_key_hash IS NOT DISTINCT FROM $3)
               ORDER BY id LIMIT $5`,
  pending: `SELECT ${JOB_COLUMNS} FROM jobs WHERE status = 'pending' ORDER BY seq`,
  all: `SELECT ${JOB_COLUMNS} FROM jobs`,
  start: `UPDATE jobs SET status = 'processing', started_at = $2, attempts = attempts + 1
          WHERE id = $1 AND status = 'pending'`,
  // Final progress: the given one, else the latest with every step done.
  complete: `UPDATE jobs SET status = 'completed', completed_at = $2, result = $3, error = NULL,
                             progress = COALESCE($4::json, (COALESCE($5::jsonb, progress::jsonb)
                               || jsonb_build_object('progress', 1,
                                    'step', COALESCE($5::jsonb, progress::jsonb) -> 'total',
                                    'info', 'Finished', 'phase', 'done'))::json)
             WHERE id = $1 AND status = 'processing'`,
  fail: `UPDATE jobs SET status = 'failed', completed_at = $2, error = $3,
                         progress = COALESCE($4::json, progress)
         WHERE id = $1 AND ${ACTIVE}`,
  cancel: `UPDATE jobs SET status = 'cancelled', completed_at = $2,
                           progress = COALESCE($3::json, progress)
           WHERE id = $1 AND ${ACTIVE}`,
  requeue: `UPDATE jobs SET status = 'pending', started_at = NULL, error = $2, progress = $3,
                            ${CLEAR_LEASE}
            WHERE id = $1 AND status = 'processing'`,
  stopped: `UPDATE jobs SET status = 'pending', started_at = NULL, error = $2, progress = $3,
                            attempts = greatest(attempts - 1, 0), ${CLEAR_LEASE}
            WHERE id = $1 AND status = 'processing'`,
  yielded: `UPDATE jobs SET status = 'pending', started_at = NULL,
                            attempts = greatest(attempts - 1, 0),
                            progress = COALESCE($2::json, progress), ${CLEAR_LEASE}
            WHERE id = $1 AND status = 'processing'`,
  // Only the jobs this kind of process runs itself: leased ones belong to their agents
  // and, once those are gone, to the reaper.
  interrupted: `SELECT id, attempts FROM jobs
                WHERE status = 'processing' AND lease_token IS NULL ORDER BY seq`,
  writeProgress: `UPDATE jobs SET progress = $2 WHERE id = $1 AND status = 'processing'`,
  runningBatchItems: "SELECT batch_items FROM jobs WHERE id = $1 AND status = 'processing'",
  writeBatchItems: `UPDATE jobs SET batch_items = $2 WHERE id = $1 AND status = 'processing'`,
  // As on SQLite: past the `keep` most recently finished, or finished before the cutoff.
  expired: `SELECT ${JOB_COLUMNS} FROM jobs
            WHERE ${TERMINAL}
              AND (($1::integer IS NOT NULL
                    AND (completed_at, seq) <= (SELECT completed_at, seq FROM jobs WHERE ${TERMINAL}
                                                ORDER BY completed_at DESC, seq DESC
                                                LIMIT 1 OFFSET COALESCE($1::integer, 0)))
                   OR completed_at < $2::timestamptz)
            ORDER BY completed_at, seq`,
  remove: "DELETE FROM jobs WHERE id = ANY($1::text[])",
  withoutRecord: `SELECT given.id FROM unnest($1::text[]) WITH ORDINALITY AS given (id, n)
                  WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = given.id)
                  ORDER BY given.n`,
  setAside: `INSERT INTO damaged_jobs (id, problem, set_aside_at, row) VALUES ($1, $2, $3, $4)`,
  removeOne: "DELETE FROM jobs WHERE id = $1",
  reserveEventIds: `UPDATE meta SET value = value + $1 WHERE key = 'next_event_id'
                    RETURNING value - $1 AS first`,
  setPriority: "UPDATE jobs SET priority = $2 WHERE id = $1 AND status = 'pending'",
  removeFinished: `DELETE FROM jobs WHERE id = $1 AND ${TERMINAL}`,
  metaValue: "SELECT value FROM meta WHERE key = $1",
  setMeta: `INSERT INTO meta (key, value) VALUES ($1, $2)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
};

/** The list's SQL for the filters `query` sets, and its parameters in order. */
export function listStatement(query: JobQuery, before: number) {
  const params: unknown[] = [before];
  const conditions = ["seq < $1"];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (query.status !== undefined) add((p) => `status = ${p}`, query.status);
  if (query.type !== undefined) add((p) => `type = ${p}`, query.type);
  if (query.since !== undefined) add((p) => `created_at >= ${p}::timestamptz`, query.since);
  if (query.until !== undefined) add((p) => `created_at < ${p}::timestamptz`, query.until);
  if (query.promptContains !== undefined) {
    add(
      (p) =>
        `(translate(data ->> 'prompt', ${FOLD}) LIKE ${p} ESCAPE '\\' OR EXISTS
          (SELECT 1 FROM json_array_elements_text(CASE WHEN json_typeof(data -> 'prompts') = 'array'
                                                       THEN data -> 'prompts' END) AS prompt
           WHERE translate(prompt, ${FOLD}) LIKE ${p} ESCAPE '\\'))`,
      likeContaining(foldAscii(query.promptContains)),
    );
  }
  if (query.apiKeyHash !== undefined) {
    add((p) => `api_key_hash IS NOT DISTINCT FROM ${p}`, query.apiKeyHash);
  }
  params.push(query.limit + 1);
  const text = `SELECT ${JOB_COLUMNS} FROM jobs WHERE ${conditions.join(" AND ")}
                ORDER BY seq DESC LIMIT $${params.length}`;
  return { text, params };
}
