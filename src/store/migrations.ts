// The SQLite schema as an ordered list of steps. PRAGMA user_version records
// how many steps a database has; opening applies the missing ones in one
// transaction. Append new steps; never edit a released one.
import type { Database } from "better-sqlite3";

export const MIGRATIONS: readonly string[] = [
  // 1: the jobs table. `seq` is the rowid alias: rows are stored in insertion
  // order, so newest-first pages walk the table backwards; AUTOINCREMENT keeps
  // a removed newest job's seq from being handed out again (stable cursors).
  `
  CREATE TABLE jobs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    legacy_id    TEXT    UNIQUE,
    type         TEXT    NOT NULL
                 CHECK (type IN ('video', 'image', 'batch_image', 'image_transfer')),
    status       TEXT    NOT NULL
                 CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
    data         TEXT    NOT NULL,
    plan         TEXT    NOT NULL,
    priority     INTEGER NOT NULL,
    api_key_hash TEXT,
    created_at   TEXT    NOT NULL,
    started_at   TEXT,
    completed_at TEXT,
    error        TEXT,
    result       TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    progress     TEXT    NOT NULL,
    batch_items  TEXT
  );
  CREATE INDEX jobs_by_status ON jobs (status, seq);
  CREATE INDEX jobs_by_type ON jobs (type, seq);
  CREATE INDEX jobs_by_api_key ON jobs (api_key_hash, status);
  `,
  // 2: `meta` holds the next free job event id: the event hub reserves blocks of ids
  // here, so that they grow across restarts whatever the clock does. It starts above
  // every id of earlier versions, which counted from their start time in microseconds.
  // `damaged_jobs` keeps the rows that could not be read back (the raw row as JSON),
  // set aside so that one damaged row takes no query and no start-up down.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO meta (key, value)
  VALUES ('next_event_id', CAST(strftime('%s', 'now') AS INTEGER) * 1000000);
  CREATE TABLE damaged_jobs (
    id           TEXT NOT NULL,
    problem      TEXT NOT NULL,
    set_aside_at TEXT NOT NULL,
    row          TEXT NOT NULL
  );
  `,
  // 3 (webhooks and Idempotency-Key, docs/api.md §6): one row per webhook message
  // (`id` is its webhook-id, the same on every attempt; `dedupe_key` keeps an event that
  // is announced twice, say again after a crash, from becoming two messages), one row per
  // attempt to deliver it, and the idempotency keys of submissions: a digest of API key
  // and key (never the key itself) -> the body's hash and the job it made. Both go with
  // their job (ON DELETE CASCADE).
  `
  CREATE TABLE webhook_deliveries (
    id              TEXT    PRIMARY KEY,
    job_id          TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event           TEXT    NOT NULL,
    dedupe_key      TEXT    UNIQUE,
    url             TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    give_up_at      INTEGER NOT NULL
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX webhook_deliveries_by_job ON webhook_deliveries (job_id, created_at);
  CREATE TABLE webhook_attempts (
    delivery_id TEXT    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
  );
  CREATE TABLE idempotency_keys (
    key_digest TEXT    PRIMARY KEY,
    body_hash  TEXT    NOT NULL,
    job_id     TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
  CREATE INDEX idempotency_keys_by_job ON idempotency_keys (job_id);
  `,
];

export class SchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `the job database has schema version ${found}, newer than this server knows ` +
        `(${MIGRATIONS.length}); upgrade the server or use another data directory`,
    );
    this.name = "SchemaTooNewError";
  }
}

function schemaVersion(db: Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Brings the schema up to date; a no-op on a current database. */
export function migrate(db: Database): void {
  // IMMEDIATE takes the write lock before the version is read, so two processes
  // opening one new database cannot both apply the same step.
  db.transaction(() => {
    const found = schemaVersion(db);
    if (found > MIGRATIONS.length) throw new SchemaTooNewError(found);
    for (const [offset, step] of MIGRATIONS.slice(found).entries()) {
      db.exec(step);
      // PRAGMA takes no bound parameters; the value is our own step counter.
      db.pragma(`user_version = ${found + offset + 1}`);
    }
  }).immediate();
}
