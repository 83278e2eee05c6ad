// One service per data folder. Two services on one folder would each requeue the
// other's running jobs as interrupted and run them again, rewriting finished outputs.
// The lock is an exclusive lock on a small SQLite file (SQLite takes it with fcntl), so
// the kernel drops it when its process dies, kill -9 included: a crash never leaves a
// stale lock behind. Who holds it is written beside it, for the refusal to name.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

const LOCK_FILE = "service.lock";
const HOLDER_FILE = "service.lock.json";

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** Another service holds the data folder. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly folder: string,
    holder: Holder | undefined,
  ) {
    const who = holder
      ? `process ${String(holder.pid)} on ${holder.host}, running since ${holder.since}`
      : "another process";
    super(
      `the data folder ${folder} is in use by another FramePack service (${who}); ` +
        "stop it first, or give this one another FRAMEPACK_DATA_DIR",
    );
    this.name = "DataFolderInUseError";
  }
}

export interface DataFolderLock {
  /** Gives the folder up (the process ending does too). */
  release(): void;
}

/** Takes the data folder (made if missing) for this process, or throws DataFolderInUseError. */
export function lockDataFolder(folder: string): DataFolderLock {
  mkdirSync(folder, { recursive: true });
  const db = new Database(join(folder, LOCK_FILE));
  try {
    db.pragma("busy_timeout = 0");
    // Held from the first write until the connection closes, not only for a transaction.
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("CREATE TABLE IF NOT EXISTS lock (held INTEGER); DELETE FROM lock;");
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
    throw new DataFolderInUseError(folder, readHolder(folder));
  }
  const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(join(folder, HOLDER_FILE), `${JSON.stringify(holder)}\n`);
  return {
    release: () => {
      db.close();
    },
  };
}

function readHolder(folder: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, HOLDER_FILE), "utf8")) as Holder;
  } catch {
    return undefined; // the holder is still writing it, or it was removed
  }
}
