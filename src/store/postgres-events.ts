// The job event log on PostgreSQL (docs/cluster.md, "Events"): the `job_events` table is
// the only copy of the events; NOTIFY carries just "<newest id> <job id>" to wake the
// readers of every process, which then read the rows. One job's appends take a
// transaction-scoped advisory lock on that job before their ids are drawn, so one job's
// ids commit in increasing order whichever process writes them: a reader that has seen
// id n of a job can never later find a smaller id of it committed (a gap).
import pg from "pg";
import type { Logger } from "pino";
import type {
  EventListening,
  EventWake,
  JobEventLog,
  NewJobEvent,
  StoredJobEvent,
} from "./event-log.js";

/** The NOTIFY channel of job events. */
export const JOB_EVENTS_CHANNEL = "framepack_job_events";

/**
 * The first key of the two-key advisory locks that serialise one job's appends ("JEVT");
 * the second is the hash of the job id. Two-key locks never meet single-key ones.
 */
export const JOB_EVENTS_LOCK_SPACE = 0x4a455654;

/** The schema of the event log: a step of the store's migrations (postgres-migrations.ts). */
export const JOB_EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS job_events (
  id         bigserial   PRIMARY KEY,
  job_id     text        NOT NULL,
  name       text        NOT NULL,
  data       jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS job_events_by_job ON job_events (job_id, id);
`;

/** The statements of the log; $-parameters as node-postgres numbers them. */
export const JOB_EVENTS_SQL = {
  // The lock is taken before any row is produced, so before the ids are drawn; it is
  // held to the commit, and the notification goes out at the commit.
  append: `
    WITH locked AS (SELECT pg_advisory_xact_lock(${JOB_EVENTS_LOCK_SPACE}, hashtext($1::text))),
    inserted AS (
      INSERT INTO job_events (job_id, name, data)
      SELECT $1::text, e.name, e.data
      FROM locked, unnest($2::text[], $3::jsonb[]) WITH ORDINALITY AS e(name, data, ord)
      ORDER BY e.ord
      RETURNING id
    )
    SELECT array_agg(id ORDER BY id) AS ids,
           pg_notify('${JOB_EVENTS_CHANNEL}', max(id)::text || ' ' || $1::text) AS woken
    FROM inserted`,
  after: `
    SELECT id, name, data FROM job_events
    WHERE job_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
  latest: `
    SELECT id, name, data FROM (
      SELECT id, name, data FROM job_events
      WHERE job_id = $1 AND id > $2 ORDER BY id DESC LIMIT $3
    ) AS newest ORDER BY id`,
  newestIdOf: `SELECT coalesce(max(id), 0) AS id FROM job_events WHERE job_id = $1`,
  newestId: `SELECT coalesce(max(id), 0) AS id FROM job_events`,
} as const;

interface EventRow {
  id: string; // bigint: node-postgres hands it over as text
  name: string;
  data: unknown;
}

function stored(row: EventRow): StoredJobEvent {
  return { id: Number(row.id), name: row.name, data: row.data };
}

/** The back-off of the listening connection: from a tenth of a second, doubling to 5 s. */
const FIRST_RECONNECT_MS = 100;
const LONGEST_RECONNECT_MS = 5000;

export interface PgJobEventLogOptions {
  /** The pool of the job store: appends and reads use it. */
  pool: pg.Pool;
  /** The dedicated listening connection's settings (default: the pool's). */
  listenConfig?: pg.ClientConfig;
  logger: Logger;
}

export class PgJobEventLog implements JobEventLog {
  readonly #pool: pg.Pool;
  readonly #listenConfig: pg.ClientConfig;
  readonly #logger: Logger;

  constructor(options: PgJobEventLogOptions) {
    this.#pool = options.pool;
    this.#listenConfig = options.listenConfig ?? options.pool.options;
    this.#logger = options.logger;
  }

  async append(jobId: string, events: readonly NewJobEvent[]): Promise<number[]> {
    if (events.length === 0) return [];
    const names = events.map((event) => event.name);
    const data = events.map((event) => JSON.stringify(event.data ?? null));
    const result = await this.#pool.query<{ ids: string[] }>(JOB_EVENTS_SQL.append, [
      jobId,
      names,
      data,
    ]);
    return (result.rows[0]?.ids ?? []).map(Number);
  }

  async after(jobId: string, afterId: number, limit: number): Promise<StoredJobEvent[]> {
    const result = await this.#pool.query<EventRow>(JOB_EVENTS_SQL.after, [jobId, afterId, limit]);
    return result.rows.map(stored);
  }

  async latest(jobId: string, afterId: number, limit: number): Promise<StoredJobEvent[]> {
    const result = await this.#pool.query<EventRow>(JOB_EVENTS_SQL.latest, [jobId, afterId, limit]);
    return result.rows.map(stored);
  }

  async newestIdOf(jobId: string): Promise<number> {
    const result = await this.#pool.query<{ id: string }>(JOB_EVENTS_SQL.newestIdOf, [jobId]);
    return Number(result.rows[0]?.id ?? 0);
  }

  async newestId(): Promise<number> {
    const result = await this.#pool.query<{ id: string }>(JOB_EVENTS_SQL.newestId);
    return Number(result.rows[0]?.id ?? 0);
  }

  async listen(onWake: EventWake, onReconnect: () => void): Promise<EventListening> {
    const listener = new Listener(this.#listenConfig, this.#logger, onWake, onReconnect);
    await listener.open();
    return listener;
  }
}

/** The one listening connection of a process, reopened with back-off whenever it drops. */
class Listener implements EventListening {
  readonly #config: pg.ClientConfig;
  readonly #logger: Logger;
  readonly #onWake: EventWake;
  readonly #onReconnect: () => void;
  #client: pg.Client | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #backoffMs = FIRST_RECONNECT_MS;

  constructor(config: pg.ClientConfig, logger: Logger, onWake: EventWake, onReconnect: () => void) {
    this.#config = config;
    this.#logger = logger;
    this.#onWake = onWake;
    this.#onReconnect = onReconnect;
  }

  /** Connects and listens; rejects when that fails (the caller decides at start). */
  async open(): Promise<void> {
    const client = new pg.Client(this.#config);
    // Errors of a dropped connection come as events; without a handler they would crash.
    client.on("error", (error) => {
      this.#dropped(client, error);
    });
    client.on("end", () => {
      this.#dropped(client, undefined);
    });
    client.on("notification", (message) => {
      this.#notified(message);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
      this.#client = client; // only now do its drops count (see #dropped)
    } catch (error) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      void client.end().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #notified(message: pg.Notification): void {
    const payload = message.payload ?? "";
    const space = payload.indexOf(" ");
    if (message.channel !== JOB_EVENTS_CHANNEL || space < 0) return;
    this.#onWake(payload.slice(space + 1), Number(payload.slice(0, space)));
  }

  #dropped(client: pg.Client, error: Error | undefined): void {
    if (this.#closed || this.#client !== client) return; // closed on purpose, or seen already
    this.#client = undefined;
    client.removeAllListeners("notification");
    void client.end().catch(() => undefined);
    this.#logger.warn({ err: error }, "the job event listener lost its connection; reconnecting");
    this.#reconnectLater();
  }

  #reconnectLater(): void {
    const waitMs = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, LONGEST_RECONNECT_MS);
    this.#timer = setTimeout(() => {
      this.open().then(
        () => {
          if (this.#closed) {
            void this.close();
            return;
          }
          this.#backoffMs = FIRST_RECONNECT_MS;
          this.#logger.info("the job event listener is back; reading what it missed");
          this.#onReconnect();
        },
        (error: unknown) => {
          if (this.#closed) return;
          this.#logger.debug({ err: error }, "the job event listener could not reconnect yet");
          this.#reconnectLater();
        },
      );
    }, waitMs);
    this.#timer.unref();
  }
}

/** The event log of the database at `url` on a small pool of its own; close() ends the pool. */
export interface OpenedEventLog {
  log: PgJobEventLog;
  close(): Promise<void>;
}

/**
 * The log of a database the job store has migrated (its table is a step of
 * POSTGRES_MIGRATIONS); nothing connects until the first use.
 */
export function openPgJobEventLog(url: string, logger: Logger): OpenedEventLog {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
  // An idle connection the server dropped must not take the process down.
  pool.on("error", (error) => {
    logger.warn({ err: error }, "a job event connection failed; it is replaced");
  });
  return { log: new PgJobEventLog({ pool, logger }), close: () => pool.end() };
}
