// Which job store the service runs on: the data folder's SQLite file by default, or the
// cluster's PostgreSQL when a database URL is set (docs/cluster.md). The rest of the
// service sees a JobStore and its webhook messages, whichever it is.
import { join } from "node:path";
import { PostgresJobStore } from "./postgres.js";
import { redactedUrl } from "./postgres-connection.js";
import type { StoreLog } from "./records.js";
import { SqliteJobStore } from "./sqlite.js";

export interface JobStoreSettings {
  /** The data folder: the SQLite file lives there when no database URL is set. */
  dataDir: string;
  /** postgres://... (FRAMEPACK_DATABASE_URL); null = SQLite. */
  databaseUrl: string | null;
}

export type OpenedJobStore = SqliteJobStore | PostgresJobStore;

/** Where the store is, fit for a log: the SQLite file, or the URL without its password. */
export function jobStoreLocation(settings: JobStoreSettings): string {
  return settings.databaseUrl === null
    ? join(settings.dataDir, "jobs.sqlite")
    : redactedUrl(settings.databaseUrl);
}

/**
 * Opens (creating and migrating as needed) the configured store. Rejects with a
 * JobDatabaseError naming it when it cannot be used.
 */
export async function openJobStore(
  settings: JobStoreSettings,
  log: StoreLog,
): Promise<OpenedJobStore> {
  if (settings.databaseUrl === null) {
    return SqliteJobStore.open(jobStoreLocation(settings), { log });
  }
  return PostgresJobStore.open(settings.databaseUrl, { log });
}
