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
export function startPostgres(options?: {
  /** One more address to listen on (a network namespace's link). */
  extraAddress?: string;
  /** The subnet trusted to connect there. */
  trustedSubnet?: string;
}): Promise<PostgresServer>;
