// What every JobStore backend shares above its SQL: a stored row read back into a
// record, the list cursor, the notes left on interrupted jobs and the store's log, so
// that SQLite and PostgreSQL (docs/cluster.md) answer with the same records.
import type { JobStatus, JobType } from "../contract/requests.js";
import {
  parseBatchItems,
  parseError,
  parsePlan,
  parseProgress,
  parseRecordedRequest,
  parseResult,
  toJson,
  UnreadableColumnError,
} from "./columns.js";
import type { DamagedRow } from "./errors.js";
import type { BatchItemState, JobError, JobProgress, JobRecord, NewJob } from "./types.js";

/** A `jobs` row as both backends return it: JSON columns as text, times as ISO 8601 UTC. */
export interface JobRow {
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

/** Where the store reports what it works around (a pino logger fits). */
export interface StoreLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The default log: process warnings, for a store opened without one (tests, tools). */
export const WARNINGS: StoreLog = {
  warn: (fields, message) => {
    process.emitWarning(`${message} ${JSON.stringify(fields)}`);
  },
  error: (fields, message) => {
    process.emitWarning(`${message} ${JSON.stringify(fields)}`);
  },
};

/** A list cursor that this store did not hand out. */
export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid cursor ${JSON.stringify(cursor)}`);
    this.name = "InvalidCursorError";
  }
}

export function encodeCursor(seq: number): string {
  return Buffer.from(String(seq)).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString();
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new InvalidCursorError(cursor);
  return Number(text);
}

/** A page of `limit` records out of `limit + 1` rows: the extra row tells whether more follow. */
export function pageOf<R extends { seq: number }>(rows: R[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.seq) : null,
  };
}

/** The list cursor's upper bound: the first page starts past every row. */
export function cursorBound(cursor: string | undefined): number {
  return cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(cursor);
}

export const INITIAL_PROGRESS: JobProgress = {
  progress: 0,
  step: 0,
  total: 0,
  info: "",
  phase: null,
};
export const INITIAL_PROGRESS_JSON = JSON.stringify(INITIAL_PROGRESS);

/** The `meta` key of the queue's pause (1 = paused; absent = running), kept across restarts. */
export const QUEUE_PAUSED = "queue_paused";

/** The last error of a job put back in the queue at start-up. */
export const INTERRUPTED: JobError = {
  code: "interrupted",
  message: "the server stopped while the job ran",
};

/** The note on a job put back in the queue by a graceful stop. */
export const STOPPED: JobError = {
  code: "interrupted",
  message: "the server was stopped while the job ran; it runs again after the restart",
};

export function interruptedTooOften(attempts: number): JobError {
  return {
    code: INTERRUPTED.code,
    message: `${INTERRUPTED.message}, ${attempts} times; giving up`,
  };
}

/** The record of a row; throws UnreadableColumnError when a column cannot be read. */
export function toRecord(row: JobRow): JobRecord {
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
    error: parseError(row.error),
    result: parseResult(row.result),
    attempts: row.attempts,
    progress: parseProgress(row.progress),
    batchItems: parseBatchItems(row.batch_items),
  };
}

/** The record of a row, or why it cannot be read. */
export function readRow(row: JobRow): JobRecord | UnreadableColumnError {
  try {
    return toRecord(row);
  } catch (error) {
    if (error instanceof UnreadableColumnError) return error;
    throw error;
  }
}

/**
 * Tells the log of a row that cannot be read: set aside (table damaged_jobs), or, when
 * `failure` says why the move failed, left out of this answer and met again by the next.
 */
export function reportSetAside(
  log: StoreLog,
  row: JobRow,
  problem: UnreadableColumnError,
  database: string,
  failure?: unknown,
): void {
  const report: DamagedRow & { database: string } = {
    jobId: row.id,
    field: problem.field,
    problem: problem.problem,
    database,
  };
  if (failure === undefined) {
    log.error(report, "a job record cannot be read: it was set aside (table damaged_jobs)");
    return;
  }
  log.error(
    { ...report, err: failure },
    "a job record cannot be read and could not be set aside yet; it is left out",
  );
}

/** A new job's columns, JSON as text. */
export function newJobColumns(job: NewJob, createdAt: string) {
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

/** The batch items with `item` in place of the one of its index. */
export function withBatchItem(items: readonly BatchItemState[], item: BatchItemState): string {
  return JSON.stringify(
    items.map((existing) => (existing.index === item.index ? { ...item } : existing)),
  );
}

/** A LIKE pattern matching text that contains `text` literally (its `%`, `_`, `\` escaped). */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export function now(): string {
  return new Date().toISOString();
}
