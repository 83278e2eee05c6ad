// The embedded JobStore: one SQLite file in WAL mode. Every state transition is
// one conditional UPDATE, so a transition that no longer applies changes
// nothing; live progress is held in memory and written at a bounded rate.
//
// The driver is synchronous, so a statement waiting for a lock would hold the whole
// event loop: SQLite's own wait is kept to a few milliseconds, and a write that meets a
// lock held elsewhere is tried again on a timer until its patience runs out, then
// rejected with StoreUnavailableError ("busy"), as a write on a full disk is at once
// ("full"). Every write goes through a statement call that throws when its commit fails.
import Database from "better-sqlite3";
import type { Database as Connection, Statement, Transaction } from "better-sqlite3";
import { parseBatchItems, toJson, UnreadableColumnError } from "./columns.js";
import { JobDatabaseError, StoreUnavailableError, type StoreUnavailableReason } from "./errors.js";
import { idempotencyStatements, type IdempotentSubmission } from "./idempotency-keys.js";
import { migrate } from "./migrations.js";
import { ProgressBuffer } from "./progress-buffer.js";
import {
  cursorBound,
  INITIAL_PROGRESS_JSON,
  INTERRUPTED,
  interruptedTooOften,
  likeContaining,
  newJobColumns,
  now,
  pageOf,
  QUEUE_PAUSED,
  readRow,
  reportSetAside,
  STOPPED,
  WARNINGS,
  withBatchItem,
  type JobRow,
  type StoreLog,
} from "./records.js";
import {
  prepareStatements,
  PROMPT_MATCHES,
  type ListParams,
  type OverlayParams,
  type SetAsideParams,
  type Statements,
} from "./sqlite-statements.js";
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
import { SqliteWebhookDeliveries } from "./webhook-deliveries.js";

export { InvalidCursorError, type StoreLog } from "./records.js";

export interface SqliteJobStoreOptions {
  /** How often buffered progress is written, in milliseconds (default 1000). */
  progressFlushMs?: number;
  /**
   * How long a statement keeps trying while another connection holds the database's
   * lock, without blocking the event loop, before it gives up (default 5000 ms).
   */
  lockPatienceMs?: number;
  /** Told of failed progress writes (retried) and of rows set aside (default: process warnings). */
  log?: StoreLog;
}

const DEFAULT_PROGRESS_FLUSH_MS = 1000;
const DEFAULT_LOCK_PATIENCE_MS = 5000;
/** At start nothing is served yet, so waiting for a lock held elsewhere may block. */
const OPEN_LOCK_WAIT_MS = 5000;
/** Once serving, the longest one statement holds the event loop waiting for a lock. */
const LOCK_WAIT_MS = 20;
/** Pauses between tries of a statement that met a lock: 10 ms doubling to half a second. */
const FIRST_LOCK_RETRY_MS = 10;
const LONGEST_LOCK_RETRY_MS = 500;
/** What to do with a database that cannot be used, for the refusal to say. */
const RECOVERY_ADVICE =
  "move it aside to start with an empty one, or put back a backup " +
  "(`sqlite3 <file> .recover` may save its records)";
/** Whether SQLite refused because another connection holds the lock, or the disk is full. */
function unavailableReason(error: unknown): StoreUnavailableReason | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  if (/^SQLITE_(BUSY|LOCKED)/.test(error.code)) return "busy";
  return error.code === "SQLITE_FULL" ? "full" : undefined;
}

/** What is wrong with a database that failed to open, for a person to act on. */
function openProblem(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = error instanceof Database.SqliteError ? error.code : "";
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return `${error.message} (${code}); ${RECOVERY_ADVICE}`;
  }
  return code ? `${error.message} (${code})` : error.message;
}

/** PRAGMA quick_check's findings, or undefined when it finds nothing wrong. */
function integrityProblems(db: Connection): string | undefined {
  const findings = db.pragma("quick_check", { simple: false }) as { quick_check: string }[];
  const lines = findings.map((finding) => finding.quick_check);
  if (lines.length === 1 && lines[0] === "ok") return undefined;
  // One line for the log: a finding may hold line breaks of its own.
  return lines
    .slice(0, 5)
    .join("; ")
    .replace(/\s*\n\s*/g, " ");
}

/** Opens, checks and migrates the database file, or says which file is unusable and why. */
function openConnection(path: string): Connection {
  let db: Connection | undefined;
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${OPEN_LOCK_WAIT_MS}`);
    db.pragma("journal_mode = WAL");
    // With WAL, NORMAL loses at most the last commits on power loss, never consistency.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    const problems = integrityProblems(db);
    if (problems !== undefined) {
      throw new JobDatabaseError(
        path,
        `its integrity check failed: ${problems}; ${RECOVERY_ADVICE}`,
      );
    }
    migrate(db);
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    return db;
  } catch (error) {
    db?.close();
    throw error instanceof JobDatabaseError
      ? error
      : new JobDatabaseError(path, openProblem(error), error);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SqliteJobStore implements JobStore {
  private readonly statements: Statements;
  /** Filter combination -> its list statement, prepared on first use. */
  private readonly listStatements = new Map<string, Statement<[ListParams], JobRow>>();
  /** Progress not yet on disk, by job id; every entry is due for the next flush. */
  private readonly overlays: ProgressBuffer;
  private readonly writeBatchItem: Transaction<(id: string, item: BatchItemState) => boolean>;
  private readonly reserveIds: Transaction<(count: number) => number>;
  private readonly setAsideRow: Transaction<(params: SetAsideParams) => void>;
  private readonly idempotency: ReturnType<typeof idempotencyStatements>;
  private readonly insertClaimed: Transaction<(job: NewJob, createdAt: string) => void>;
  /** The webhook messages of the jobs, in the same database (src/jobs/webhooks.ts). */
  readonly deliveries: SqliteWebhookDeliveries;
  private readonly lockPatienceMs: number;
  private readonly log: StoreLog;

  private constructor(
    private readonly db: Connection,
    private readonly path: string,
    options: SqliteJobStoreOptions,
  ) {
    this.statements = prepareStatements(db);
    this.lockPatienceMs = options.lockPatienceMs ?? DEFAULT_LOCK_PATIENCE_MS;
    this.log = options.log ?? WARNINGS;
    this.overlays = new ProgressBuffer(
      options.progressFlushMs ?? DEFAULT_PROGRESS_FLUSH_MS,
      () => this.flushProgress(),
      this.log,
    );
    const { statements } = this;
    this.writeBatchItem = db.transaction((id: string, item: BatchItemState) => {
      const items = parseBatchItems(statements.runningBatchItems.get(id) ?? null);
      if (items === null) return false; // not running, or not a batch job
      const batchItems = withBatchItem(items, item);
      return statements.writeBatchItems.run({ id, batchItems }).changes === 1;
    });
    this.reserveIds = db.transaction((count: number) => {
      const first = statements.nextEventId.get();
      if (first === undefined) throw new Error("the job database has no next_event_id");
      statements.advanceEventIds.run(count);
      return first;
    });
    this.setAsideRow = db.transaction((params: SetAsideParams) => {
      statements.copyDamaged.run(params);
      statements.remove.run(JSON.stringify([params.id]));
    });
    this.idempotency = idempotencyStatements(db);
    // The job and the claim of its idempotency key commit together or not at all.
    this.insertClaimed = db.transaction((job: NewJob, createdAt: string) => {
      statements.insert.run(newJobColumns(job, createdAt));
      if (job.idempotency) this.idempotency.claim(job.id, job.idempotency, Date.now());
    });
    this.deliveries = new SqliteWebhookDeliveries(db, (work) => this.attempt(work));
  }

  /**
   * Opens (creating and migrating as needed) the database at `path`; ":memory:" for
   * tests. A file that is not a database, is damaged, or fails its integrity check is
   * refused with a JobDatabaseError naming it; single rows that cannot be read are set
   * aside (table `damaged_jobs`) and reported.
   */
  static open(path: string, options: SqliteJobStoreOptions = {}): SqliteJobStore {
    const store = new SqliteJobStore(openConnection(path), path, options);
    store.setAsideUnreadable();
    return store;
  }

  async insert(job: NewJob): Promise<JobRecord> {
    // run(), not get() on INSERT ... RETURNING: get() hands the row back even when the
    // commit fails (a full disk), and the job would be announced but never stored.
    await this.attempt(() => {
      this.insertClaimed.immediate(job, now());
    });
    const record = await this.get(job.id);
    if (record === undefined) throw new Error(`job ${job.id} was not inserted`);
    return record;
  }

  idempotentSubmission(keyDigest: string): Promise<IdempotentSubmission | undefined> {
    return this.attempt(() => this.idempotency.find(keyDigest, Date.now()));
  }

  get(id: string): Promise<JobRecord | undefined> {
    return this.attempt(() => this.recordOf(this.statements.byId.get(id)));
  }

  getByLegacyId(legacyId: string): Promise<JobRecord | undefined> {
    return this.attempt(() => this.recordOf(this.statements.byLegacyId.get(legacyId)));
  }

  byIdPrefix(prefix: string, limit: number, apiKeyHash?: string | null): Promise<JobRecord[]> {
    // Ids are UUIDs (hex and "-"): "~" sorts after every character they hold.
    const params = { prefix, past: `${prefix}~`, limit };
    return this.attempt(() =>
      this.records(
        apiKeyHash === undefined
          ? this.statements.byIdPrefix.all(params)
          : this.statements.byIdPrefixOfKey.all({ ...params, apiKeyHash }),
      ),
    );
  }

  list(query: JobQuery): Promise<JobPage> {
    return this.attempt(() => {
      // One row past the page tells whether another page follows.
      const rows = this.listStatement(query).all({
        before: cursorBound(query.cursor),
        status: query.status ?? null,
        type: query.type ?? null,
        since: query.since ?? null,
        until: query.until ?? null,
        prompt: query.promptContains === undefined ? null : likeContaining(query.promptContains),
        apiKeyHash: query.apiKeyHash ?? null,
        limit: query.limit + 1,
      });
      const page = pageOf(rows, query.limit);
      return { jobs: this.records(page.rows), nextCursor: page.nextCursor };
    });
  }

  pending(): Promise<JobRecord[]> {
    return this.attempt(() => this.records(this.statements.pending.all()));
  }

  start(id: string): Promise<boolean> {
    return this.attempt(() => this.statements.start.run({ id, now: now() }).changes === 1);
  }

  /** processing -> completed, progress final; false when the job was not processing. */
  complete(id: string, result: JobResult, progress?: JobProgress): Promise<boolean> {
    return this.attempt(() =>
      this.withBufferedProgress(id, (params) =>
        this.statements.complete.run({
          ...params,
          now: now(),
          result: JSON.stringify(result),
          final: toJson(progress),
        }),
      ),
    );
  }

  /** pending|processing -> failed; false when the job was already terminal. */
  fail(id: string, error: JobError): Promise<boolean> {
    return this.attempt(() => this.failNow(id, error));
  }

  cancel(id: string): Promise<boolean> {
    return this.attempt(() =>
      this.withBufferedProgress(id, (params) =>
        this.statements.cancel.run({ ...params, now: now() }),
      ),
    );
  }

  /** processing -> pending; false when the job was not processing. */
  requeue(id: string, reason: JobError): Promise<boolean> {
    return this.attempt(() => this.requeueNow(id, reason));
  }

  /** processing -> pending with its attempt given back; false when it was not processing. */
  yieldBack(id: string): Promise<boolean> {
    return this.attempt(() =>
      this.withBufferedProgress(id, (params) => this.statements.yielded.run(params)),
    );
  }

  /** Progress of a processing job; other jobs' progress is dropped at the next flush. */
  setProgress(id: string, progress: JobProgress): void {
    if (!this.db.open) return;
    this.overlays.set(id, progress);
  }

  /** Replaces the item with the same index in a processing batch job, on disk at once. */
  setBatchItem(id: string, item: BatchItemState): Promise<boolean> {
    return this.attempt(() => this.writeBatchItem.immediate(id, item));
  }

  recoverInterrupted(maxAttempts: number): Promise<RecoveryReport> {
    return this.attempt(() =>
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
    return this.attempt(() =>
      this.db.transaction(() =>
        this.statements.interrupted
          .all()
          .filter(({ id }) => this.requeueNow(id, STOPPED, this.statements.stopped))
          .map(({ id }) => id),
      )(),
    );
  }

  setPriority(id: string, priority: number): Promise<boolean> {
    return this.attempt(() => this.statements.setPriority.run({ id, priority }).changes === 1);
  }

  removeFinished(id: string): Promise<boolean> {
    return this.attempt(() => this.statements.removeFinished.run(id).changes === 1);
  }

  queuePaused(): Promise<boolean> {
    return this.attempt(() => this.statements.metaValue.get(QUEUE_PAUSED) === 1);
  }

  setQueuePaused(paused: boolean): Promise<void> {
    return this.attempt(() => {
      this.statements.setMeta.run({ key: QUEUE_PAUSED, value: paused ? 1 : 0 });
    });
  }

  /** Terminal jobs past the newest `maxCompleted` ones or finished over `maxAgeMs` ago. */
  expired(maxCompleted: number | null, maxAgeMs: number | null): Promise<JobRecord[]> {
    return this.attempt(() => {
      const cutoff = maxAgeMs === null ? null : new Date(Date.now() - maxAgeMs).toISOString();
      return this.records(this.statements.expired.all({ keep: maxCompleted, cutoff }));
    });
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.attempt(() => {
      this.statements.remove.run(JSON.stringify(ids));
      for (const id of ids) this.overlays.delete(id);
    });
  }

  withoutRecord(ids: readonly string[]): Promise<string[]> {
    return this.attempt(() => this.statements.withoutRecord.all(JSON.stringify(ids)));
  }

  reserveEventIds(count: number): Promise<number> {
    return this.attempt(() => this.reserveIds.immediate(count));
  }

  /**
   * Writes all buffered progress in one transaction, one UPDATE per job that
   * changed; returns the number of rows written.
   */
  flushProgress(): number {
    const snapshot = this.overlays.snapshot();
    if (snapshot.length === 0) return 0;
    const written = this.db.transaction(() => {
      let rows = 0;
      for (const [id, progress] of snapshot) {
        rows += this.statements.writeOverlay.run({
          id,
          progress: JSON.stringify(progress),
        }).changes;
      }
      return rows;
    })();
    // Cleared only after the commit, so a failed write is retried with the same data.
    this.overlays.written(snapshot);
    return written;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      await this.attempt(() => this.flushProgress());
    } finally {
      this.overlays.stop();
      this.db.close();
    }
  }

  /**
   * Runs one statement or transaction. When another connection holds the lock, SQLite
   * waits only LOCK_WAIT_MS; the work is then tried again on a timer, so that the event
   * loop keeps serving, until lockPatienceMs have passed. A full disk is no reason to
   * wait here: the caller hears of it at once.
   */
  private async attempt<T>(work: () => T): Promise<T> {
    const giveUpAt = performance.now() + this.lockPatienceMs;
    for (let waitMs = FIRST_LOCK_RETRY_MS; ; waitMs = Math.min(waitMs * 2, LONGEST_LOCK_RETRY_MS)) {
      try {
        return work();
      } catch (error) {
        const reason = unavailableReason(error);
        if (reason === undefined) throw error;
        if (reason === "full" || performance.now() + waitMs > giveUpAt) {
          throw new StoreUnavailableError(reason, error);
        }
        await sleep(waitMs);
      }
    }
  }

  /** Start-up: every row that cannot be read is set aside before anything queries it. */
  private setAsideUnreadable(): void {
    const damaged: [JobRow, UnreadableColumnError][] = [];
    for (const row of this.statements.all.iterate()) {
      const record = readRow(row);
      if (record instanceof UnreadableColumnError) damaged.push([row, record]);
    }
    for (const [row, problem] of damaged) this.setAside(row, problem);
  }

  /** The records of the rows that can be read; the others are set aside. */
  private records(rows: JobRow[]): JobRecord[] {
    return rows.flatMap((row) => {
      const record = this.recordOf(row);
      return record === undefined ? [] : [record];
    });
  }

  /** A row's record with its buffered progress; undefined when absent or set aside. */
  private recordOf(row: JobRow | undefined): JobRecord | undefined {
    if (row === undefined) return undefined;
    const record = readRow(row);
    if (!(record instanceof UnreadableColumnError)) return this.overlays.withOverlay(record);
    this.setAside(row, record);
    return undefined;
  }

  /**
   * Moves a row that cannot be read into `damaged_jobs`, whole, and reports the job and
   * the column. Should the move itself fail, the row is still left out of this answer
   * and is met (and reported) again by the next query.
   */
  private setAside(row: JobRow, problem: UnreadableColumnError): void {
    try {
      this.setAsideRow({
        id: row.id,
        problem: problem.message,
        now: now(),
        row: JSON.stringify(row),
      });
      this.overlays.delete(row.id);
      reportSetAside(this.log, row, problem, this.path);
    } catch (error) {
      reportSetAside(this.log, row, problem, this.path, error);
    }
  }

  private listStatement(query: JobQuery): Statement<[ListParams], JobRow> {
    // A statement per filter combination, so each one can use its index.
    const conditions = ["seq < @before"];
    if (query.status !== undefined) conditions.push("status = @status");
    if (query.type !== undefined) conditions.push("type = @type");
    if (query.since !== undefined) conditions.push("created_at >= @since");
    if (query.until !== undefined) conditions.push("created_at < @until");
    if (query.promptContains !== undefined) conditions.push(PROMPT_MATCHES);
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
    return this.withBufferedProgress(id, (params) =>
      this.statements.fail.run({ ...params, now: now(), error: JSON.stringify(error) }),
    );
  }

  private requeueNow(id: string, reason: JobError, statement = this.statements.requeue): boolean {
    const changed =
      statement.run({ id, error: JSON.stringify(reason), progress: INITIAL_PROGRESS_JSON })
        .changes === 1;
    // The next attempt starts from zero: what was buffered of this one is done with.
    this.overlays.delete(id);
    return changed;
  }

  /**
   * Runs a transition that writes the job's buffered progress with it. The buffer is
   * dropped only once the statement went through: a transition that fails (a full
   * disk, a held lock) keeps it for the next try or the next flush.
   */
  private withBufferedProgress(
    id: string,
    transition: (params: { id: string } & OverlayParams) => { changes: number },
  ): boolean {
    const changed = transition({ id, progress: toJson(this.overlays.get(id)) }).changes === 1;
    this.overlays.delete(id);
    return changed;
  }
}
