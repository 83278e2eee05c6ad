// What every process of a cluster shares (docs/cluster.md): the files (the data folder
// seen by all, or S3-compatible storage with this host's work folder in front) and the
// runs' storage of an agent on top of them. Used by `framepack serve` with a database URL
// (src/service.ts) and by `framepack agent` (src/agent-main.ts).
import { hostname } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { LocalArtifactStore } from "./artifacts/local.js";
import { SharedArtifacts } from "./artifacts/shared.js";
import type { ObjectStorage } from "./artifacts/object-storage.js";
import type { ArtifactStore } from "./artifacts/types.js";
import { ClusterAgent, type RunStorage } from "./cluster/agent.js";
import { ObjectRunStorage } from "./cluster/object-run-storage.js";
import { SharedFolderStorage } from "./cluster/shared-folder-storage.js";
import type { StorageLocation } from "./artifacts/s3.js";
import type { Config } from "./config.js";
import { DurableJobEventHub } from "./jobs/durable-events.js";
import type { EnginePool } from "./engine/pool.js";
import type { JobEventObserver, JobEventPublisher } from "./jobs/events.js";
import type { LeasedJobStore } from "./store/leases.js";
import { openPgJobEventLog } from "./store/postgres-events.js";
import type { Logger } from "pino";

export interface ClusterFiles {
  artifacts: ArtifactStore;
  /** How an agent's runs read inputs and publish outputs. */
  runStorage: RunStorage;
  /** The shared storage in front of the data folder; undefined without FRAMEPACK_STORAGE_URL. */
  shared: SharedArtifacts | undefined;
}

/**
 * The job files of this process: the data folder's, in front of the shared storage when
 * FRAMEPACK_STORAGE_URL is set (S3 by the config, or `objects`: tests pass theirs).
 */
export async function clusterFiles(
  config: Config,
  logger: Logger,
  objects?: ObjectStorage,
): Promise<ClusterFiles> {
  const local = new LocalArtifactStore(join(config.dataDir, "jobs"));
  if (config.storage === null) {
    return { artifacts: local, runStorage: new SharedFolderStorage(local), shared: undefined };
  }
  const shared = new SharedArtifacts(local, objects ?? (await s3Storage(config, config.storage)));
  return { artifacts: shared, runStorage: new ObjectRunStorage(shared, logger), shared };
}

/** Loaded only here: one box never loads the AWS SDK. */
async function s3Storage(config: Config, location: StorageLocation): Promise<ObjectStorage> {
  const { S3ObjectStorage, s3Client } = await import("./artifacts/s3.js");
  const client = s3Client({ endpoint: config.storageEndpoint, region: config.storageRegion });
  return new S3ObjectStorage(location, client);
}

/**
 * The cluster's durable job events (the database's event log), told to `observer` once
 * written; start() before the first publish, close() after the last ends its connections.
 */
export function clusterEvents(
  url: string,
  logger: Logger,
  observer?: JobEventObserver,
): DurableJobEventHub {
  const opened = openPgJobEventLog(url, logger);
  return new DurableJobEventHub({
    log: opened.log,
    logger,
    onClosed: () => opened.close(),
    ...(observer ? { observer } : {}),
  });
}

/** What a cluster agent takes from the process around it. */
export interface AgentParts {
  config: Config;
  store: LeasedJobStore;
  pool: EnginePool;
  storage: RunStorage;
  events: JobEventPublisher;
  logger: Logger;
}

/** An agent for this process's engines, configured by the settings (a new id each time). */
export function clusterAgent({ config, store, pool, storage, events, logger }: AgentParts) {
  return new ClusterAgent({
    id: agentId(),
    host: config.apiHost,
    store,
    pool,
    storage,
    events,
    logger,
    maxAttempts: config.maxAttempts,
    leaseMs: config.leaseMs,
    pollMs: config.agentPollMs,
    preempt: config.preempt,
  });
}

/** A new agent's id: its host, its process id (for people and tests) and a random part. */
export function agentId(): string {
  return `${hostname()}:${String(process.pid)}:${randomBytes(3).toString("hex")}`;
}
