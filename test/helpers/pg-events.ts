// A throwaway PostgreSQL for the cluster-mode event tests (scripts/postgres-server.mjs):
// started in beforeAll, stopped in afterAll; each "replica" gets a pool of its own and a
// durable event hub on it, so two hubs over one database stand for two processes.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { DurableJobEventHub } from "../../src/jobs/durable-events.js";
import type { JobEventObserver } from "../../src/jobs/events.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { PgJobEventLog } from "../../src/store/postgres-events.js";
import { PostgresJobStore } from "../../src/store/postgres.js";
import { testLogger } from "./engine.js";

export interface PostgresServer {
  url: string;
  createDatabase(name: string): string;
  stop(): void;
}

/** Starts one (about a second); the caller stops it. */
export async function startPostgresServer(): Promise<PostgresServer> {
  // The script is plain JavaScript without types: imported by URL, typed here.
  const script = pathToFileURL(join(PROJECT_ROOT, "scripts", "postgres-server.mjs")).href;
  const module = (await import(script)) as { startPostgres: () => Promise<PostgresServer> };
  return module.startPostgres();
}

export interface Replica {
  pool: pg.Pool;
  hub: DurableJobEventHub;
  close(): Promise<void>;
}

/**
 * A hub on a pool of its own, not started. `name` is the listening connection's
 * application_name, so a test can find (and kill) it.
 */
export function replica(
  url: string,
  name: string,
  options: { observer?: JobEventObserver } = {},
): Replica {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", () => undefined); // a killed idle connection is replaced, not fatal
  const log = new PgJobEventLog({
    pool,
    listenConfig: { connectionString: url, application_name: name },
    logger: testLogger,
  });
  const hub = new DurableJobEventHub({ log, logger: testLogger, ...options });
  return {
    pool,
    hub,
    close: async () => {
      await hub.close();
      await pool.end();
    },
  };
}

/** A started replica, the database migrated as the job store does it. */
export async function startReplica(url: string, name: string): Promise<Replica> {
  await (await PostgresJobStore.open(url)).close();
  const started = replica(url, name);
  await started.hub.start();
  return started;
}
