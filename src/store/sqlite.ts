// The embedded JobStore: one SQLite file in WAL mode. Every state transition is
// one conditional UPDATE, so a transition that no longer applies changes
// nothing; live progress is held in memory and written at a bounded rate.
import Database from "better-sqlite3";
import type { Database as Connection, Statement } from "better-sqlite3";
import type { JobStatus, JobType } from "../contract/requests.js";
import { fromJson, parsePlan, parseRecordedRequest, toJson } from "./columns.js";
import { migrate } from "./migrations.js";
import type {
  BatchItemState,
  JobError,
  JobPage,
  JobProgress,
  JobQuery,
  JobRecord,
  JobResult,
  JobStore,
  NewJob,
  RecoveryReport,
} from "./types.js";

export interface SqliteJobStoreOptions {
  /** How often buffered progress is written, in milliseconds (default 1000). */
  progressFlushMs?: number;
  /** Told when a progress write fails (default: a process warning); it is retried. */
  onFlushError?: (error: unknown) => void;
}

/** A list cursor that this store did not hand out. */
export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid cursor ${JSON.stringify(cursor)}`);
    this.name = "InvalidCursorError";
  }
}

const DEFAULT_PROGRESS_FLUSH_MS = 1000;
/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;
const INITIAL_PROGRESS: JobProgress = { progress: 0, step: 0, total: 0, info: "", phase: null };
const INITIAL_PROGRESS_JSON = JSON.stringify(INITIAL_PROGRESS);

// SQL fragments for the status sets (they mirror TERMINAL_STATUSES in types.ts).
const ACTIVE = "status IN ('pending', 'processing')";
const TERMINAL = "status IN ('completed', 'failed', 'cancelled')";
/** Writes a job's buffered progress, keeping each column nothing was buffered for. */
const WRITE_OVERLAY =
  "progress = COALESCE(@progress, progress), batch_items = COALESCE(@batchItems, batch_items)";

/** A `jobs` row as SQLite returns it (the CHECK constraints guarantee the enums). */
interface JobRow {
  seq: number;
  id: string;
  legacy_id: string | null;
  type: JobType;
  status: JobStatus;
  data: string;
  plan: string;
  priority: number;
  api_key_hash: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  error: string | null;
  result: string | null;
  attempts: number;
  progress: string;
  batch_items: string | null;
}

/** Progress set since the last write; only what changed. */
interface ProgressOverlay {
  progress?: JobProgress;
  batchItems?: BatchItemState[];
}

/** An overlay as bound parameters: JSON text, or null to keep the stored column. */
interface OverlayParams {
  progress: string | null;
  batchItems: string | null;
}

interface InsertParams {
  id: string;
  legacyId: string | null;
  type: JobType;
  data: string;
  plan: string;
  priority: number;
  apiKeyHash: string | null;
  createdAt: string;
  progress: string;
  batchItems: string | null;
}

interface ListParams {
  before: number;
  status: JobStatus | null;
  type: JobType | null;
  apiKeyHash: string | null;
  limit: number;
}

interface IdAt {
  id: string;
  now: string;
}

/** The statements every store uses, prepared once at open. */
interface Statements {
  insert: Statement<[InsertParams], JobRow>;
  byId: Statement<[string], JobRow>;
  byLegacyId: Statement<[string], JobRow>;
  pending: Statement<[], JobRow>;
  start: Statement<[IdAt]>;
  complete: Statement<[IdAt & OverlayParams & { result: string }]>;
  fail: Statement<[IdAt & OverlayParams & { error: string }]>;
  cancel: Statement<[IdAt & OverlayParams]>;
  requeue: Statement<[{ id: string; error: string; progress: string; batchItems: string | null }]>;
  stopped: Statement<[{ id: string; error: string; progress: string; batchItems: string | null }]>;
  interrupted: Statement<[], { id: string; attempts: number }>;
  writeOverlay: Statement<[{ id: string } & OverlayParams]>;
  runningBatchItems: Statement<[string], string | null>;
  expired: Statement<[{ keep: number; cutoff: string }], JobRow>;
  remove: Statement<[string]>;
}

function prepareStatements(db: Connection): Statements {
  return {
    insert: db.prepare(
      `INSERT INTO jobs (id, legacy_id, type, status, data, plan, priority, api_key_hash,
                         created_at, progress, batch_items)
       VALUES (@id, @legacyId, @type, 'pending', @data, @plan, @priority, @apiKeyHash,
               @createdAt, @progress, @batchItems)
       RETURNING *`,
    ),
    byId: db.prepare("SELECT * FROM jobs WHERE id = ?"),
    byLegacyId: db.prepare("SELECT * FROM jobs WHERE legacy_id = ?"),
    pending: db.prepare("SELECT * FROM jobs WHERE status = 'pending' ORDER BY seq"),
    start: db.prepare(
      `UPDATE jobs SET status = 'processing', started_at = @now, attempts = attempts + 1
       WHERE id = @id AND status = 'pending'`,
    ),
    // A completed job carries no error, even if an earlier attempt left one.
    complete: db.prepare(
      `UPDATE jobs SET status = 'completed', completed_at = @now, result = @result, error = NULL,
                       ${WRITE_OVERLAY}
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
      `UPDATE jobs SET status = 'pending', started_at = NULL, error = @error,
                       progress = @progress,
                       batch_items = COALESCE(@batchItems, batch_items)
       WHERE id = @id AND status = 'processing'`,
    ),
    stopped: db.prepare(
      `UPDATE jobs SET status = 'pending', started_at = NULL, error = @error,
                       attempts = max(attempts - 1, 0), progress = @progress,
                       batch_items = COALESCE(@batchItems, batch_items)
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
    // Past the `keep` most recently finished jobs (the subquery is NULL when there
    // are fewer, which matches nothing), or finished before the cutoff. Ranked by
    // when they finished, not when they were submitted: a video submitted before many
    // images finishes after them and must not be the first to go.
    expired: db.prepare(
      `SELECT * FROM jobs
       WHERE ${TERMINAL}
         AND ((completed_at, seq) <= (SELECT completed_at, seq FROM jobs WHERE ${TERMINAL}
                                      ORDER BY completed_at DESC, seq DESC LIMIT 1 OFFSET @keep)
              OR completed_at < @cutoff)
       ORDER BY completed_at, seq`,
    ),
    remove: db.prepare("DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(?))"),
  };
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    legacyId: row.legacy_id,
    type: row.type,
    status: row.status,
    data: parseRecordedRequest(row.data),
    plan: parsePlan(row.plan),
    priority: row.priority,
    apiKeyHash: row.api_key_hash,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    error: fromJson(row.error) as JobError | null,
    result: fromJson(row.result) as JobResult | null,
    attempts: row.attempts,
    progress: fromJson(row.progress) as JobProgress,
    batchItems: fromJson(row.batch_items) as BatchItemState[] | null,
  };
}

function toInsertParams(job: NewJob, createdAt: string): InsertParams {
  return {
    id: job.id,
    legacyId: job.legacyId,
    type: job.type,
    data: JSON.stringify(job.data),
    plan: JSON.stringify(job.plan),
    priority: job.priority,
    apiKeyHash: job.apiKeyHash,
    createdAt,
    progress: INITIAL_PROGRESS_JSON,
    batchItems: toJson(job.batchItems),
  };
}

function toOverlayParams(overlay: ProgressOverlay | undefined): OverlayParams {
  return { progress: toJson(overlay?.progress), batchItems: toJson(overlay?.batchItems) };
}

function encodeCursor(seq: number): string {
  return Buffer.from(String(seq)).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString();
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new InvalidCursorError(cursor);
  return Number(text);
}

function now(): string {
  return new Date().toISOString();
}

/** The last error of a job put back in the queue at start-up. */
const INTERRUPTED: JobError = {
  code: "interrupted",
  message: "the server stopped while the job ran",
};

/** The note on a job put back in the queue by a graceful stop. */
const STOPPED: JobError = {
  code: "interrupted",
  message: "the server was stopped while the job ran; it runs again after the restart",
};

function interruptedTooOften(attempts: number): JobError {
  return {
    code: INTERRUPTED.code,
    message: `${INTERRUPTED.message}, ${attempts} times; giving up`,
  };
}

/** The store's methods are synchronous underneath; this keeps throws as rejections. */
function asPromise<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

function warnFlushFailed(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`job progress could not be written, retrying: ${reason}`);
}

export class SqliteJobStore implements JobStore {
  private readonly statements: Statements;
  /** Filter combination -> its list statement, prepared on first use. */
  private readonly listStatements = new Map<string, Statement<[ListParams], JobRow>>();
  /** Progress not yet on disk, by job id; every entry is due for the next flush. */
  private readonly overlays = new Map<string, ProgressOverlay>();
  private flushTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly db: Connection,
    private readonly progressFlushMs: number,
    private readonly onFlushError: (error: unknown) => void,
  ) {
    this.statements = prepareStatements(db);
  }

  /** Opens (creating and migrating as needed) the database at `path`; ":memory:" for tests. */
  static open(path: string, options: SqliteJobStoreOptions = {}): SqliteJobStore {
    const db = new Database(path);
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma("journal_mode = WAL");
      // With WAL, NORMAL loses at most the last commits on power loss, never consistency.
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      migrate(db);
      return new SqliteJobStore(
        db,
        options.progressFlushMs ?? DEFAULT_PROGRESS_FLUSH_MS,
        options.onFlushError ?? warnFlushFailed,
      );
    } catch (error) {
      db.close();
      throw error;
    }
  }

  insert(job: NewJob): Promise<JobRecord> {
    return asPromise(() => {
      const row = this.statements.insert.get(toInsertParams(job, now()));
      if (row === undefined) throw new Error(`job ${job.id} was not inserted`);
      return toRecord(row);
    });
  }

  get(id: string): Promise<JobRecord | undefined> {
    return asPromise(() => this.recordOf(this.statements.byId.get(id)));
  }

  getByLegacyId(legacyId: string): Promise<JobRecord | undefined> {
    return asPromise(() => this.recordOf(this.statements.byLegacyId.get(legacyId)));
  }

  list(query: JobQuery): Promise<JobPage> {
    return asPromise(() => {
      // One row past the page tells whether another page follows.
      const rows = this.listStatement(query).all({
        before: query.cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(query.cursor),
        status: query.status ?? null,
        type: query.type ?? null,
        apiKeyHash: query.apiKeyHash ?? null,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        jobs: page.map((row) => this.withOverlay(toRecord(row))),
        nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last.seq) : null,
      };
    });
  }

  pending(): Promise<JobRecord[]> {
    return asPromise(() => this.statements.pending.all().map(toRecord));
  }

  start(id: string): Promise<boolean> {
    return asPromise(() => this.statements.start.run({ id, now: now() }).changes === 1);
  }

  /** processing -> completed; false when the job was not processing. */
  complete(id: string, result: JobResult): Promise<boolean> {
    return asPromise(() => {
      const params = { id, now: now(), result: JSON.stringify(result), ...this.takeOverlay(id) };
      return this.statements.complete.run(params).changes === 1;
    });
  }

  /** pending|processing -> failed; false when the job was already terminal. */
  fail(id: string, error: JobError): Promise<boolean> {
    return asPromise(() => this.failNow(id, error));
  }

  cancel(id: string): Promise<boolean> {
    return asPromise(() => {
      const params = { id, now: now(), ...this.takeOverlay(id) };
      return this.statements.cancel.run(params).changes === 1;
    });
  }

  /** processing -> pending; false when the job was not processing. */
  requeue(id: string, reason: JobError): Promise<boolean> {
    return asPromise(() => this.requeueNow(id, reason));
  }

  /** Progress of a processing job; other jobs' progress is dropped at the next flush. */
  setProgress(id: string, progress: JobProgress): void {
    this.buffer(id, { progress: { ...progress } });
  }

  /** Replaces the item with the same index in a processing batch job. */
  setBatchItem(id: string, item: BatchItemState): void {
    if (!this.db.open) return;
    const items =
      this.overlays.get(id)?.batchItems ??
      (fromJson(this.statements.runningBatchItems.get(id) ?? null) as BatchItemState[] | null);
    if (items === null) return; // not running, or not a batch job
    this.buffer(id, {
      batchItems: items.map((existing) => (existing.index === item.index ? { ...item } : existing)),
    });
  }

  recoverInterrupted(maxAttempts: number): Promise<RecoveryReport> {
    return asPromise(() =>
      this.db.transaction(() => {
        const report: RecoveryReport = { requeued: [], failed: [] };
        for (const { id, attempts } of this.statements.interrupted.all()) {
          if (attempts >= maxAttempts) {
            this.failNow(id, interruptedTooOften(attempts));
            report.failed.push(id);
          } else {
            this.requeueNow(id, INTERRUPTED);
            report.requeued.push(id);
          }
        }
        return report;
      })(),
    );
  }

  requeueStopped(): Promise<string[]> {
    return asPromise(() =>
      this.db.transaction(() =>
        this.statements.interrupted
          .all()
          .filter(({ id }) => this.requeueNow(id, STOPPED, this.statements.stopped))
          .map(({ id }) => id),
      )(),
    );
  }

  /** Terminal jobs past the newest `maxCompleted` ones or finished over `maxAgeMs` ago. */
  expired(maxCompleted: number, maxAgeMs: number): Promise<JobRecord[]> {
    return asPromise(() => {
      const cutoff = new Date(Date.now() - maxAgeMs).toISOString();
      return this.statements.expired.all({ keep: maxCompleted, cutoff }).map(toRecord);
    });
  }

  remove(ids: readonly string[]): Promise<void> {
    return asPromise(() => {
      this.statements.remove.run(JSON.stringify(ids));
      for (const id of ids) this.overlays.delete(id);
    });
  }

  /**
   * Writes all buffered progress in one transaction, one UPDATE per job that
   * changed; returns the number of rows written.
   */
  flushProgress(): number {
    this.cancelFlushTimer();
    if (this.overlays.size === 0) return 0;
    const written = this.db.transaction(() => {
      let rows = 0;
      for (const [id, overlay] of this.overlays) {
        rows += this.statements.writeOverlay.run({ id, ...toOverlayParams(overlay) }).changes;
      }
      return rows;
    })();
    // Cleared only after the commit, so a failed write is retried with the same data.
    this.overlays.clear();
    return written;
  }

  close(): Promise<void> {
    return asPromise(() => {
      if (!this.db.open) return;
      try {
        this.flushProgress();
      } finally {
        this.db.close();
      }
    });
  }

  private recordOf(row: JobRow | undefined): JobRecord | undefined {
    return row === undefined ? undefined : this.withOverlay(toRecord(row));
  }

  /** A processing job as it is now: the stored row plus progress not yet written. */
  private withOverlay(record: JobRecord): JobRecord {
    const overlay = this.overlays.get(record.id);
    if (overlay === undefined || record.status !== "processing") return record;
    return {
      ...record,
      progress: overlay.progress ?? record.progress,
      batchItems: overlay.batchItems ?? record.batchItems,
    };
  }

  private listStatement(query: JobQuery): Statement<[ListParams], JobRow> {
    // A statement per filter combination, so each one can use its index.
    const conditions = ["seq < @before"];
    if (query.status !== undefined) conditions.push("status = @status");
    if (query.type !== undefined) conditions.push("type = @type");
    // `IS` matches NULL too: the jobs submitted without a key.
    if (query.apiKeyHash !== undefined) conditions.push("api_key_hash IS @apiKeyHash");
    const sql = `SELECT * FROM jobs WHERE ${conditions.join(" AND ")} ORDER BY seq DESC LIMIT @limit`;
    let statement = this.listStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<[ListParams], JobRow>(sql);
      this.listStatements.set(sql, statement);
    }
    return statement;
  }

  private failNow(id: string, error: JobError): boolean {
    const params = { id, now: now(), error: JSON.stringify(error), ...this.takeOverlay(id) };
    return this.statements.fail.run(params).changes === 1;
  }

  private requeueNow(id: string, reason: JobError, statement = this.statements.requeue): boolean {
    const { batchItems } = this.takeOverlay(id);
    const params = {
      id,
      error: JSON.stringify(reason),
      progress: INITIAL_PROGRESS_JSON,
      batchItems,
    };
    return statement.run(params).changes === 1;
  }

  /** Removes a job's buffered progress, to be written with its transition. */
  private takeOverlay(id: string): OverlayParams {
    const overlay = this.overlays.get(id);
    this.overlays.delete(id);
    return toOverlayParams(overlay);
  }

  private buffer(id: string, change: ProgressOverlay): void {
    if (!this.db.open) return;
    this.overlays.set(id, { ...this.overlays.get(id), ...change });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    // Unref'd: buffered progress never keeps the process alive; close() writes it.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flushOrRetry();
    }, this.progressFlushMs).unref();
  }

  private flushOrRetry(): void {
    try {
      this.flushProgress();
    } catch (error) {
      this.onFlushError(error);
      this.scheduleFlush();
    }
  }

  private cancelFlushTimer(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }
}
