// The PostgreSQL schema (docs/cluster.md) as an ordered list of steps, like SQLite's
// (src/store/migrations.ts): the `schema_migrations` table records the steps applied;
// opening applies the missing ones in one transaction under an advisory lock, so that
// replicas starting at once apply each step once. Append new steps; never edit one.
import type { Database } from "./postgres-connection.js";
import { JOB_EVENTS_SCHEMA } from "./postgres-events.js";

/** pg_advisory_xact_lock key of schema changes ("fpmigrat" in ASCII). */
const MIGRATION_LOCK = 0x66706d6967726174n;

export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: the tables of SQLite's migrations 1-3 with PostgreSQL's types (JSON columns as
  // `json`, which keeps the text as written), plus the lease of a running job (its
  // expiry on the database's clock), the agents that hold leases, and which store took a
  // webhook message to send it (`taken_by`).
  `
  CREATE TABLE jobs (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               text        COLLATE "C" NOT NULL UNIQUE,
    legacy_id        text        UNIQUE,
    type             text        NOT NULL
                     CHECK (type IN ('video', 'image', 'batch_image', 'image_transfer')),
    status           text        NOT NULL
                     CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
    data             json        NOT NULL,
    plan             json        NOT NULL,
    priority         integer     NOT NULL,
    api_key_hash     text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    completed_at     timestamptz,
    error            json,
    result           json,
    attempts         integer     NOT NULL DEFAULT 0,
    progress         json        NOT NULL,
    batch_items      json,
    lease_owner      text,
    lease_token      text,
    lease_expires_at timestamptz
  );
  CREATE INDEX jobs_by_status ON jobs (status, seq);
  CREATE INDEX jobs_by_type ON jobs (type, seq);
  CREATE INDEX jobs_by_api_key ON jobs (api_key_hash, status);
  CREATE INDEX jobs_by_lease_expiry ON jobs (lease_expires_at) WHERE status = 'processing';
  CREATE TABLE meta (
    key   text   PRIMARY KEY,
    value bigint NOT NULL
  );
  INSERT INTO meta (key, value)
  VALUES ('next_event_id', floor(extract(epoch FROM now()))::bigint * 1000000);
  CREATE TABLE damaged_jobs (
    id           text        NOT NULL,
    problem      text        NOT NULL,
    set_aside_at timestamptz NOT NULL,
    row          text        NOT NULL
  );
  CREATE TABLE webhook_deliveries (
    seq             bigint  GENERATED ALWAYS AS IDENTITY,
    id              text    PRIMARY KEY,
    job_id          text    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event           text    NOT NULL,
    dedupe_key      text    UNIQUE,
    url             text    NOT NULL,
    payload         text    NOT NULL,
    status          text    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    created_at      bigint  NOT NULL,
    next_attempt_at bigint  NOT NULL,
    give_up_at      bigint  NOT NULL,
    taken_by        text
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX webhook_deliveries_by_job ON webhook_deliveries (job_id, created_at);
  CREATE TABLE webhook_attempts (
    delivery_id text    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    at          bigint  NOT NULL,
    duration_ms integer NOT NULL,
    status_code integer,
    error       text,
    PRIMARY KEY (delivery_id, attempt)
  );
  CREATE TABLE idempotency_keys (
    key_digest text   PRIMARY KEY,
    body_hash  text   NOT NULL,
    job_id     text   NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    expires_at bigint NOT NULL
  );
  CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
  CREATE INDEX idempotency_keys_by_job ON idempotency_keys (job_id);
  CREATE TABLE agents (
    id           text        PRIMARY KEY,
    host         text        NOT NULL,
    engines      json        NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
  );
  `,
  // 2: the durable job events (src/store/postgres-events.ts, docs/cluster.md "Events"),
  // which go with their job whatever deletes it (retention, DELETE, a removal).
  `
  ${JOB_EVENTS_SCHEMA}
  CREATE FUNCTION forget_job_events() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM job_events WHERE job_id = OLD.id;
    RETURN OLD;
  END $$;
  CREATE TRIGGER jobs_forget_events AFTER DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION forget_job_events();
  `,
];

export class PostgresSchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `the job database has schema version ${found}, newer than this server knows ` +
        `(${POSTGRES_MIGRATIONS.length}); upgrade the server or use another database`,
    );
    this.name = "PostgresSchemaTooNewError";
  }
}

/** Brings the schema up to date; a no-op on a current database. */
export async function migratePostgres(db: Database): Promise<void> {
  await db.transaction(async (sql) => {
    // Held to the end of the transaction: a second replica waits, then finds it done.
    await sql.run("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK.toString()]);
    await sql.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer     PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const [row] = await sql.rows<{ version: number | null }>(
      "SELECT max(version) AS version FROM schema_migrations",
    );
    const found = row?.version ?? 0;
    if (found > POSTGRES_MIGRATIONS.length) throw new PostgresSchemaTooNewError(found);
    for (const [offset, step] of POSTGRES_MIGRATIONS.slice(found).entries()) {
      await sql.run(step);
      await sql.run("INSERT INTO schema_migrations (version) VALUES ($1)", [found + offset + 1]);
    }
  });
}
