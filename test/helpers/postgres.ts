// A throwaway PostgreSQL per test file (scripts/postgres-server.mjs: Debian's server,
// initdb into a temporary folder, a free port of 127.0.0.1), started in beforeAll and
// stopped in afterAll; each test takes an empty database of its own from it.
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { startPostgres, type PostgresServer } from "../../scripts/postgres-server.mjs";

export interface TestPostgres {
  /** The server's URL (its database `framepack`). */
  readonly url: string;
  /** A new empty database's URL. */
  freshDatabase(): Promise<string>;
  /** The server itself, for tests that stop it. */
  readonly server: PostgresServer;
}

/** Registers the server's start and stop with the file's hooks; use its fields in tests. */
export function usePostgres(): TestPostgres {
  let server: PostgresServer | undefined;
  let admin: pg.Client | undefined;
  let count = 0;
  beforeAll(async () => {
    server = await startPostgres();
    admin = new pg.Client(server.url);
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    server?.stop();
  });
  const running = (): PostgresServer => {
    if (server === undefined) throw new Error("the test PostgreSQL is not started yet");
    return server;
  };
  return {
    get url() {
      return running().url;
    },
    get server() {
      return running();
    },
    async freshDatabase() {
      const name = `test_${process.pid}_${++count}`;
      if (admin === undefined) throw new Error("the test PostgreSQL is not started yet");
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(running().url);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}
