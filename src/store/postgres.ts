// The cluster's JobStore on PostgreSQL (docs/cluster.md): the same records and
// transitions as the SQLite store (src/store/sqlite.ts), each one conditional UPDATE,
// plus the leased queue of LeasedJobStore for GPU agents. Live progress of jobs this
// process runs itself is buffered and written at a bounded rate, as on SQLite; a leased
// run's progress is written by its agent through setProgressLeased.
import { parseBatchItems, toJson, UnreadableColumnError } from "./columns.js";
import { JobDatabaseError, StoreUnavailableError } from "./errors.js";
import type { IdempotentSubmission } from "./idempotency-keys.js";
import type { AgentInfo, CandidateQuery, Lease, LeasedJobStore, Renewal } from "./leases.js";
import {
  describeError,
  openDatabase,
  redactedUrl,
  type Database,
  type PoolOptions,
  type Sql,
} from "./postgres-connection.js";
import { claimIdempotent, findIdempotent } from "./postgres-idempotency.js";
import * as leases from "./postgres-leases.js";
import { migratePostgres } from "./postgres-migrations.js";
import { listStatement, SQL } from "./postgres-statements.js";
import { PostgresWebhookDeliveries } from "./postgres-webhook-deliveries.js";
import { ProgressBuffer } from "./progress-buffer.js";
import {
  cursorBound,
  INITIAL_PROGRESS_JSON,
  INTERRUPTED,
  interruptedTooOften,
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
import type {
  BatchItemState,
  JobError,
  JobPage,
  JobProgress,
  JobQuery,
  JobRecord,
  JobResult,
  NewJob,
  RecoveryReport,
} from "./types.js";

export interface PostgresJobStoreOptions extends PoolOptions {
  /** How often buffered progress is written, in milliseconds (default 1000). */
  progressFlushMs?: number;
  /** Told of failed progress writes (retried) and of rows set aside (default: process warnings). */
  log?: StoreLog;
}

const DEFAULT_PROGRESS_FLUSH_MS = 1000;

export class PostgresJobStore implements LeasedJobStore {
  private readonly overlays: ProgressBuffer;
  private readonly log: StoreLog;
  /** The webhook messages of the jobs, in the same database (src/jobs/webhooks.ts). */
  readonly deliveries: PostgresWebhookDeliveries;
  private closed = false;

  private constructor(
    private readonly db: Database,
    /** The URL without its password: what messages name. */
    readonly location: string,
    options: PostgresJobStoreOptions,
  ) {
    this.log = options.log ?? WARNINGS;
    this.overlays = new ProgressBuffer(
      options.progressFlushMs ?? DEFAULT_PROGRESS_FLUSH_MS,
      () => this.flushProgress(),
      this.log,
    );
    this.deliveries = new PostgresWebhookDeliveries(db);
  }

  /**
   * Connects to `url` and brings its schema up to date (one transaction, under an
   * advisory lock, whatever the number of replicas starting at once). A database that
   * cannot be reached or migrated is refused with a JobDatabaseError naming it (its
   * password left out).
   */
  static async open(url: string, options: PostgresJobStoreOptions = {}): Promise<PostgresJobStore> {
    const location = redactedUrl(url);
    const db = openDatabase(url, options.log ?? WARNINGS, options);
    try {
      await migratePostgres(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      const problem = error instanceof StoreUnavailableError ? error.cause : error;
      throw new JobDatabaseError(location, describeError(problem), error);
    }
    return new PostgresJobStore(db, location, options);
  }

  async insert(job: NewJob): Promise<JobRecord> {
    const columns = newJobColumns(job, now());
    await this.db.transaction(async (sql) => {
      await sql.run(SQL.insert, [
        columns.id,
        columns.legacyId,
        columns.type,
        columns.data,
        columns.plan,
        columns.priority,
        columns.apiKeyHash,
        columns.createdAt,
        columns.progress,
        columns.batchItems,
      ]);
      if (job.idempotency) await claimIdempotent(sql, job.id, job.idempotency, Date.now());
    });
    const record = await this.get(job.id);
    if (record === undefined) throw new Error(`job ${job.id} was not inserted`);
    return record;
  }

  idempotentSubmission(keyDigest: string): Promise<IdempotentSubmission | undefined> {
    return findIdempotent(this.db, keyDigest, Date.now());
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return this.first(await this.db.rows<JobRow>(SQL.byId, [id]));
  }

  async getByLegacyId(legacyId: string): Promise<JobRecord | undefined> {
    return this.first(await this.db.rows<JobRow>(SQL.byLegacyId, [legacyId]));
  }

  async byIdPrefix(
    prefix: string,
    limit: number,
    apiKeyHash?: string | null,
  ): Promise<JobRecord[]> {
    const anyKey = apiKeyHash === undefined;
    const params = [prefix, `${prefix}~`, apiKeyHash ?? null, anyKey, limit];
    return this.records(await this.db.rows<JobRow>(SQL.byIdPrefix, params));
  }

  async list(query: JobQuery): Promise<JobPage> {
    const { text, params } = listStatement(query, cursorBound(query.cursor));
    const page = pageOf(await this.db.rows<JobRow>(text, params), query.limit);
    return { jobs: await this.records(page.rows), nextCursor: page.nextCursor };
  }

  async pending(): Promise<JobRecord[]> {
    return this.records(await this.db.rows<JobRow>(SQL.pending));
  }

  async start(id: string): Promise<boolean> {
    return (await this.db.run(SQL.start, [id, now()])) === 1;
  }

  complete(id: string, result: JobResult, progress?: JobProgress): Promise<boolean> {
    return this.withBufferedProgress(id, (buffered) =>
      this.db.run(SQL.complete, [id, now(), JSON.stringify(result), toJson(progress), buffered]),
    );
  }

  fail(id: string, error: JobError): Promise<boolean> {
    return this.failOn(this.db, id, error);
  }

  cancel(id: string): Promise<boolean> {
    return this.withBufferedProgress(id, (buffered) =>
      this.db.run(SQL.cancel, [id, now(), buffered]),
    );
  }

  requeue(id: string, reason: JobError): Promise<boolean> {
    return this.requeueOn(this.db, id, reason, SQL.requeue);
  }

  yieldBack(id: string): Promise<boolean> {
    return this.withBufferedProgress(id, (buffered) => this.db.run(SQL.yielded, [id, buffered]));
  }

  setProgress(id: string, progress: JobProgress): void {
    if (this.closed) return;
    this.overlays.set(id, progress);
  }

  setBatchItem(id: string, item: BatchItemState): Promise<boolean> {
    return this.writeBatchItem(id, item);
  }

  recoverInterrupted(maxAttempts: number): Promise<RecoveryReport> {
    return this.db.transaction(async (sql) => {
      const report: RecoveryReport = { requeued: [], failed: [] };
      const rows = await sql.rows<{ id: string; attempts: number }>(SQL.interrupted);
      for (const { id, attempts } of rows) {
        if (attempts >= maxAttempts) {
          await this.failOn(sql, id, interruptedTooOften(attempts));
          report.failed.push(id);
        } else {
          await this.requeueOn(sql, id, INTERRUPTED, SQL.requeue);
          report.requeued.push(id);
        }
      }
      return report;
    });
  }

  requeueStopped(): Promise<string[]> {
    return this.db.transaction(async (sql) => {
      const requeued: string[] = [];
      for (const { id } of await sql.rows<{ id: string }>(SQL.interrupted)) {
        if (await this.requeueOn(sql, id, STOPPED, SQL.stopped)) requeued.push(id);
      }
      return requeued;
    });
  }

  async expired(maxCompleted: number | null, maxAgeMs: number | null): Promise<JobRecord[]> {
    const cutoff = maxAgeMs === null ? null : new Date(Date.now() - maxAgeMs).toISOString();
    return this.records(await this.db.rows<JobRow>(SQL.expired, [maxCompleted, cutoff]));
  }

  async remove(ids: readonly string[]): Promise<void> {
    await this.db.run(SQL.remove, [ids]);
    for (const id of ids) this.overlays.delete(id);
  }

  async setPriority(id: string, priority: number): Promise<boolean> {
    return (await this.db.run(SQL.setPriority, [id, priority])) === 1;
  }

  async removeFinished(id: string): Promise<boolean> {
    return (await this.db.run(SQL.removeFinished, [id])) === 1;
  }

  async queuePaused(): Promise<boolean> {
    const [row] = await this.db.rows<{ value: number }>(SQL.metaValue, [QUEUE_PAUSED]);
    return row?.value === 1;
  }

  async setQueuePaused(paused: boolean): Promise<void> {
    await this.db.run(SQL.setMeta, [QUEUE_PAUSED, paused ? 1 : 0]);
  }

  async withoutRecord(ids: readonly string[]): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(SQL.withoutRecord, [ids]);
    return rows.map((row) => row.id);
  }

  async reserveEventIds(count: number): Promise<number> {
    const [row] = await this.db.rows<{ first: number }>(SQL.reserveEventIds, [count]);
    if (row === undefined) throw new Error("the job database has no next_event_id");
    return row.first;
  }

  /** Writes all buffered progress in one statement; returns the number of rows written. */
  async flushProgress(): Promise<number> {
    const snapshot = this.overlays.snapshot();
    if (snapshot.length === 0) return 0;
    const written = await this.db.run(
      `UPDATE jobs SET progress = buffered.progress::json
       FROM unnest($1::text[], $2::text[]) AS buffered (id, progress)
       WHERE jobs.id = buffered.id AND jobs.status = 'processing'`,
      [snapshot.map(([id]) => id), snapshot.map(([, progress]) => JSON.stringify(progress))],
    );
    // Dropped only after the commit, so a failed write is retried with the same data.
    this.overlays.written(snapshot);
    return written;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flushProgress();
      await this.deliveries.release(Date.now());
    } finally {
      this.overlays.stop();
      await this.db.close();
    }
  }

  // --- the leased queue (docs/cluster.md) ---

  async candidates(query: CandidateQuery): Promise<JobRecord[]> {
    return this.records(await leases.candidateRows(this.db, query));
  }

  claim(jobId: string, owner: string, leaseMs: number): Promise<Lease | undefined> {
    return leases.claim(this.db, jobId, owner, leaseMs);
  }

  renew(lease: Lease, leaseMs: number): Promise<Renewal> {
    return leases.renew(this.db, lease, leaseMs);
  }

  completeLeased(lease: Lease, result: JobResult, progress?: JobProgress): Promise<boolean> {
    return leases.completeLeased(this.db, lease, result, progress);
  }

  failLeased(lease: Lease, error: JobError): Promise<boolean> {
    return leases.failLeased(this.db, lease, error);
  }

  requeueLeased(lease: Lease, reason: JobError): Promise<boolean> {
    return leases.requeueLeased(this.db, lease, reason);
  }

  releaseLeased(lease: Lease): Promise<boolean> {
    return leases.releaseLeased(this.db, lease);
  }

  setProgressLeased(lease: Lease, progress: JobProgress): Promise<boolean> {
    return leases.setProgressLeased(this.db, lease, progress);
  }

  setBatchItemLeased(lease: Lease, item: BatchItemState): Promise<boolean> {
    return this.writeBatchItem(lease.jobId, item, lease);
  }

  reapExpired(maxAttempts: number): Promise<RecoveryReport> {
    return this.db.transaction((sql) => leases.reapExpired(sql, maxAttempts));
  }

  heartbeatAgent(agent: Omit<AgentInfo, "heartbeatAt" | "startedAt">): Promise<void> {
    return leases.heartbeatAgent(this.db, agent);
  }

  agents(withinMs: number): Promise<AgentInfo[]> {
    return leases.agents(this.db, withinMs);
  }

  removeAgent(id: string): Promise<void> {
    return leases.removeAgent(this.db, id);
  }

  // --- helpers ---

  /** Replaces the item of the same index in a running batch, in one transaction. */
  private writeBatchItem(id: string, item: BatchItemState, lease?: Lease): Promise<boolean> {
    return this.db.transaction(async (sql) => {
      const items = parseBatchItems(await leases.lockedBatchItems(sql, id, lease));
      if (items === null) return false; // not running (under this lease), or not a batch
      return (await sql.run(SQL.writeBatchItems, [id, withBatchItem(items, item)])) === 1;
    });
  }

  private failOn(sql: Sql, id: string, error: JobError): Promise<boolean> {
    return this.withBufferedProgress(id, (buffered) =>
      sql.run(SQL.fail, [id, now(), JSON.stringify(error), buffered]),
    );
  }

  private async requeueOn(sql: Sql, id: string, reason: JobError, text: string): Promise<boolean> {
    const changed = await sql.run(text, [id, JSON.stringify(reason), INITIAL_PROGRESS_JSON]);
    // The next attempt starts from zero: what was buffered of this one is done with.
    this.overlays.delete(id);
    return changed === 1;
  }

  /**
   * Runs a transition that writes the job's buffered progress with it; the buffer is
   * dropped only once the statement went through (a newer tick that came meanwhile is
   * kept, and the next flush ignores it unless the job still runs).
   */
  private async withBufferedProgress(
    id: string,
    transition: (buffered: string | null) => Promise<number>,
  ): Promise<boolean> {
    const buffered = this.overlays.get(id);
    const changed = await transition(toJson(buffered));
    this.overlays.settle(id, buffered);
    return changed === 1;
  }

  private async first(rows: JobRow[]): Promise<JobRecord | undefined> {
    return (await this.records(rows))[0];
  }

  /** The records of the rows that can be read; the others are set aside. */
  private async records(rows: JobRow[]): Promise<JobRecord[]> {
    const records: JobRecord[] = [];
    for (const row of rows) {
      const record = readRow(row);
      if (record instanceof UnreadableColumnError) await this.setAside(row, record);
      else records.push(this.overlays.withOverlay(record));
    }
    return records;
  }

  /**
   * Moves a row that cannot be read into `damaged_jobs`, whole, and reports it. Should
   * the move fail, the row is still left out of this answer and met again by the next.
   */
  private async setAside(row: JobRow, problem: UnreadableColumnError): Promise<void> {
    try {
      await this.db.transaction(async (sql) => {
        await sql.run(SQL.setAside, [row.id, problem.message, now(), JSON.stringify(row)]);
        await sql.run(SQL.removeOne, [row.id]);
      });
      this.overlays.delete(row.id);
      reportSetAside(this.log, row, problem, this.location);
    } catch (error) {
      reportSetAside(this.log, row, problem, this.location, error);
    }
  }
}
