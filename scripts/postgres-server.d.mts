// Types of scripts/postgres-server.mjs for the TypeScript tests and benchmarks.
export interface PostgresServer {
  /** postgres://framepack@127.0.0.1:<port>/framepack (trust authentication). */
  url: string;
  port: number;
  /** A further empty database on the same server; its URL. */
  createDatabase(name: string): string;
  stop(): void;
}

export function postgresBinDir(): string | undefined;
export function ensurePostgresInstalled(): void;
export function startPostgres(): Promise<PostgresServer>;
