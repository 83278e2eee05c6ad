// The SQL of the embedded JobStore: the row and parameter shapes, and every statement
// prepared once when the store opens. src/store/sqlite.ts runs them.
import type { Database as Connection, Statement } from "better-sqlite3";
import type { JobStatus, JobType } from "../contract/requests.js";
import type { JobRow, newJobColumns } from "./records.js";

// SQL fragments for the status sets (they mirror TERMINAL_STATUSES in types.ts).
const ACTIVE = "status IN ('pending', 'processing')";
const TERMINAL = "status IN ('completed', 'failed', 'cancelled')";
/** Writes a job's buffered progress, keeping the stored one when nothing was buffered. */
const WRITE_OVERLAY = "progress = COALESCE(@progress, progress)";

/** Buffered progress as a bound parameter: JSON text, or null to keep the stored column. */
export interface OverlayParams {
  progress: string | null;
}

export type InsertParams = ReturnType<typeof newJobColumns>;

export interface ListParams {
  before: number;
  status: JobStatus | null;
  type: JobType | null;
  since: string | null;
  until: string | null;
  /** A LIKE pattern, escaped with `\` (likeContaining). */
  prompt: string | null;
  apiKeyHash: string | null;
  limit: number;
}

/** The list's prompt search: the prompt of a job, or any prompt of a batch. */
export const PROMPT_MATCHES =
  "(json_extract(data, '$.prompt') LIKE @prompt ESCAPE '\\' OR EXISTS " +
  "(SELECT 1 FROM json_each(data, '$.prompts') WHERE value LIKE @prompt ESCAPE '\\'))";

interface IdAt {
  id: string;
  now: string;
}

interface PrefixParams {
  prefix: string;
  /** The first text past every id that starts with the prefix. */
  past: string;
  limit: number;
}

export interface SetAsideParams {
  id: string;
  problem: string;
  now: string;
  row: string;
}

/** The statements every store uses, prepared once at open. */
export interface Statements {
  insert: Statement<[InsertParams]>;
  byId: Statement<[string], JobRow>;
  byLegacyId: Statement<[string], JobRow>;
  byIdPrefix: Statement<[PrefixParams], JobRow>;
  byIdPrefixOfKey: Statement<[PrefixParams & { apiKeyHash: string | null }], JobRow>;
  pending: Statement<[], JobRow>;
  all: Statement<[], JobRow>;
  start: Statement<[IdAt]>;
  complete: Statement<[IdAt & OverlayParams & { result: string; final: string | null }]>;
  fail: Statement<[IdAt & OverlayParams & { error: string }]>;
  cancel: Statement<[IdAt & OverlayParams]>;
  requeue: Statement<[{ id: string; error: string; progress: string }]>;
  stopped: Statement<[{ id: string; error: string; progress: string }]>;
  yielded: Statement<[{ id: string } & OverlayParams]>;
  interrupted: Statement<[], { id: string; attempts: number }>;
  writeOverlay: Statement<[{ id: string } & OverlayParams]>;
  runningBatchItems: Statement<[string], string | null>;
  writeBatchItems: Statement<[{ id: string; batchItems: string }]>;
  expired: Statement<[{ keep: number | null; cutoff: string | null }], JobRow>;
  remove: Statement<[string]>;
  withoutRecord: Statement<[string], string>;
  copyDamaged: Statement<[SetAsideParams]>;
  nextEventId: Statement<[], number>;
  advanceEventIds: Statement<[number]>;
  setPriority: Statement<[{ id: string; priority: number }]>;
  removeFinished: Statement<[string]>;
  metaValue: Statement<[string], number>;
  setMeta: Statement<[{ key: string; value: number }]>;
}

export function prepareStatements(db: Connection): Statements {
  return {
    insert: db.prepare(
      `INSERT INTO jobs (id, legacy_id, type, status, data, plan, priority, api_key_hash,
                         created_at, progress, batch_items)
       VALUES (@id, @legacyId, @type, 'pending', @data, @plan, @priority, @apiKeyHash,
               @createdAt, @progress, @batchItems)`,
    ),
    byId: db.prepare("SELECT * FROM jobs WHERE id = ?"),
    byLegacyId: db.prepare("SELECT * FROM jobs WHERE legacy_id = ?"),
    // A range on the id's unique index, not LIKE (which would scan every row).
    byIdPrefix: db.prepare(
      "SELECT * FROM jobs WHERE id >= @prefix AND id < @past ORDER BY id LIMIT @limit",
    ),
    byIdPrefixOfKey: db.prepare(
      `SELECT * FROM jobs WHERE id >= @prefix AND id < @past AND api_key_hash IS @apiKeyHash
       ORDER BY id LIMIT @limit`,
    ),
    pending: db.prepare("SELECT * FROM jobs WHERE status = 'pending' ORDER BY seq"),
    all: db.prepare("SELECT * FROM jobs"),
    start: db.prepare(
      `UPDATE jobs SET status = 'processing', started_at = @now, attempts = attempts + 1
       WHERE id = @id AND status = 'pending'`,
    ),
    // A completed job carries no error, even if an earlier attempt left one, and its
    // progress is final: the given one, else the latest with every step done.
    complete: db.prepare(
      `UPDATE jobs SET status = 'completed', completed_at = @now, result = @result, error = NULL,
                       progress = COALESCE(@final, json_set(COALESCE(@progress, progress),
                         '$.progress', 1, '$.step', json_extract(COALESCE(@progress, progress), '$.total'),
                         '$.info', 'Finished', '$.phase', 'done'))
       WHERE id = @id AND status = 'processing'`,
    ),
    fail: db.prepare(
      `UPDATE jobs SET status = 'failed', completed_at = @now, error = @error, ${WRITE_OVERLAY}
       WHERE id = @id AND ${ACTIVE}`,
    ),
    cancel: db.prepare(
      `UPDATE jobs SET status = 'cancelled', completed_at = @now, ${WRITE_OVERLAY}
       WHERE id = @id AND ${ACTIVE}`,
    ),
    // The next attempt starts from zero progress; finished batch items are kept.
    requeue: db.prepare(
      `UPDATE jobs SET status = 'pending', started_at = NULL, error = @error, progress = @progress
       WHERE id = @id AND status = 'processing'`,
    ),
    stopped: db.prepare(
      `UPDATE jobs SET status = 'pending', started_at = NULL, error = @error,
                       attempts = max(attempts - 1, 0), progress = @progress
       WHERE id = @id AND status = 'processing'`,
    ),
    // A yield is no failure: the attempt is given back, the last error and progress kept.
    yielded: db.prepare(
      `UPDATE jobs SET status = 'pending', started_at = NULL, attempts = max(attempts - 1, 0),
                       ${WRITE_OVERLAY}
       WHERE id = @id AND status = 'processing'`,
    ),
    interrupted: db.prepare("SELECT id, attempts FROM jobs WHERE status = 'processing'"),
    writeOverlay: db.prepare(
      `UPDATE jobs SET ${WRITE_OVERLAY} WHERE id = @id AND status = 'processing'`,
    ),
    runningBatchItems: db
      .prepare<[string], string | null>(
        "SELECT batch_items FROM jobs WHERE id = ? AND status = 'processing'",
      )
      .pluck(),
    writeBatchItems: db.prepare(
      "UPDATE jobs SET batch_items = @batchItems WHERE id = @id AND status = 'processing'",
    ),
    // Past the `keep` most recently finished jobs (the subquery is NULL when there
    // are fewer, which matches nothing), or finished before the cutoff; a NULL limit
    // matches nothing. Ranked by when they finished, not when they were submitted: a
    // video submitted before many images finishes after them and must not be the first to go.
    expired: db.prepare(
      `SELECT * FROM jobs
       WHERE ${TERMINAL}
         AND ((@keep IS NOT NULL
               AND (completed_at, seq) <= (SELECT completed_at, seq FROM jobs WHERE ${TERMINAL}
                                           ORDER BY completed_at DESC, seq DESC
                                           LIMIT 1 OFFSET COALESCE(@keep, 0)))
              OR completed_at < @cutoff)
       ORDER BY completed_at, seq`,
    ),
    remove: db.prepare("DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?))"),
    withoutRecord: db
      .prepare<[string], string>(
        "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM jobs)",
      )
      .pluck(),
    copyDamaged: db.prepare(
      `INSERT INTO damaged_jobs (id, problem, set_aside_at, row)
       VALUES (@id, @problem, @now, @row)`,
    ),
    nextEventId: db
      .prepare<[], number>("SELECT value FROM meta WHERE key = 'next_event_id'")
      .pluck(),
    advanceEventIds: db.prepare("UPDATE meta SET value = value + ? WHERE key = 'next_event_id'"),
    // Only a waiting job is reordered: one that started keeps its run.
    setPriority: db.prepare(
      "UPDATE jobs SET priority = @priority WHERE id = @id AND status = 'pending'",
    ),
    removeFinished: db.prepare(`DELETE FROM jobs WHERE id = ? AND ${TERMINAL}`),
    metaValue: db.prepare<[string], number>("SELECT value FROM meta WHERE key = ?").pluck(),
    setMeta: db.prepare(
      `INSERT INTO meta (key, value) VALUES (@key, @value)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
  };
}
