// The PostgreSQL job store's connections (docs/cluster.md): one pool per process, rows
// typed as the SQLite store reads them (JSON columns as text, so columns.ts checks them
// the same way; times as ISO 8601 UTC; bigints as numbers), and every failure that means
// "the database cannot be reached or cannot write for now" turned into
// StoreUnavailableError, so that the callers' retry-until-written logic waits it out.
import pg from "pg";
import { StoreUnavailableError, type StoreUnavailableReason } from "./errors.js";
import type { StoreLog } from "./records.js";

/** What the store runs its SQL on: the pool, or one transaction's connection. */
export interface Sql {
  /** The rows of one statement. */
  rows<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** How many rows one statement changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

export interface Database extends Sql {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Connections at most (default 10). */
  maxConnections?: number;
  /** How long a query waits for a connection before it is refused as unavailable (default 5000). */
  connectTimeoutMs?: number;
  /**
   * How long one statement may run before the server cancels it, refused as unavailable
   * (default 30000): the store's statements are short, so a longer one waits on something.
   */
  statementTimeoutMs?: number;
}

/**
 * How much longer than the statement timeout this side waits for an answer before it
 * gives the query up: the server's own cancel comes first, so this one fires only when
 * no answer can arrive (the host is cut off from the database).
 */
const ANSWER_GRACE_MS = 5000;
/** node-postgres's words for a query that `query_timeout` gave up on. */
const GAVE_UP = "Query read timeout";
/** Whether `error` (as thrown, or as `translated` wraps it) is a query given up on. */
const gaveUp = (error: unknown): boolean =>
  error instanceof Error && (error.message === GAVE_UP || gaveUp(error.cause));

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];

const { JSON: JSON_OID, JSONB: JSONB_OID, INT8: INT8_OID, TIMESTAMPTZ } = pg.types.builtins;

const asText = (text: string): string => text;
const asNumber = (text: string): number => Number(text);
const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ) as (text: string) => Date;
const asIso = (text: string): string => parseTimestamp(text).toISOString();

/** JSON as its text (columns.ts reads it), bigints as numbers, times as ISO 8601 UTC. */
function typeParser(oid: TypeId, format?: "text" | "binary"): (text: string) => unknown {
  if (oid === JSON_OID || oid === JSONB_OID) return asText;
  if (oid === INT8_OID) return asNumber;
  if (oid === TIMESTAMPTZ) return asIso;
  return pg.types.getTypeParser(oid, format) as (text: string) => unknown;
}

/** Node's errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** node-postgres's own words for a connection lost or never had. */
const LOST_CONNECTION =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|Query read timeout/i;

/**
 * Whether `error` means the database cannot do the work for now (and may later): the
 * server is down or unreachable, shutting down, out of connections or disk, or a lock
 * or serialization conflict; undefined for anything else (a bug, a constraint).
 */
export function unavailableReason(error: unknown): StoreUnavailableReason | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code)) return "unreachable";
    // SQLSTATE classes: 08 connection exception, 57P0x shutdown / cannot connect now.
    if (code.startsWith("08") || /^57P0[1-3]$/.test(code)) return "unreachable";
    if (code === "53100") return "full"; // disk_full
    // too many connections, lock not available, statement timeout, serialization failure,
    // deadlock.
    if (["53300", "55P03", "57014", "40001", "40P01"].includes(code)) return "busy";
  }
  if (error instanceof AggregateError) return unavailableReason(error.errors[0]);
  return LOST_CONNECTION.test(error.message) ? "unreachable" : undefined;
}

/** What went wrong, for a person: an AggregateError (every address refused) says each. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") {
    return error.errors.map(describeError).join("; ");
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

/** `error` as the store reports it: StoreUnavailableError when it may pass. */
function translated(error: unknown): unknown {
  const reason = unavailableReason(error);
  return reason === undefined ? error : new StoreUnavailableError(reason, error);
}

/** A database URL fit for a log: its password replaced, whatever else it holds. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    return "<a database URL that does not parse>";
  }
}

function sqlOf(queryable: pg.Pool | pg.PoolClient): Sql {
  return {
    async rows<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      try {
        return (await queryable.query(text, params as unknown[])).rows as R[];
      } catch (error) {
        throw translated(error);
      }
    },
    async run(text: string, params: readonly unknown[] = []): Promise<number> {
      try {
        return (await queryable.query(text, params as unknown[])).rowCount ?? 0;
      } catch (error) {
        throw translated(error);
      }
    },
  };
}

/** A pool on `url`; nothing connects until the first query. */
export function openDatabase(url: string, log: StoreLog, options: PoolOptions = {}): Database {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + ANSWER_GRACE_MS,
    // A connection whose peer vanished is found out by the kernel, not kept forever.
    keepAlive: true,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  // An idle connection the server dropped must not take the process down: the pool
  // discards it and the next query opens another.
  pool.on("error", (error) => {
    log.warn({ err: error }, "a job database connection failed; it is replaced");
  });
  const sql = sqlOf(pool);
  return {
    ...sql,
    async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translated(error);
      }
      const tx = sqlOf(client);
      let broken: unknown;
      try {
        await tx.run("BEGIN");
        const result = await work(tx);
        await tx.run("COMMIT");
        return result;
      } catch (error) {
        // A query given up on still occupies the connection: no ROLLBACK can pass it.
        if (gaveUp(error)) broken = error;
        else {
          await client.query("ROLLBACK").catch((rollback: unknown) => {
            broken = rollback; // the connection is gone: the pool must not hand it out again
          });
        }
        throw error;
      } finally {
        client.release(broken as Error | undefined);
      }
    },
    close: () => pool.end(),
  };
}
