// The service's parts wired together: store, artifacts, scheduler, jobs, retention,
// metrics and the HTTP app around a given engine pool. src/main.ts runs it for real;
// tests run the same wiring with their own pool and configuration.
import type { Logger } from "pino";
import { buildApp } from "./api/app.js";
import { ApiKeyAuth } from "./api/auth.js";
import { queuedJob } from "./api/job-view.js";
import { ObservedJobEventHub, ServiceMetrics } from "./api/metrics.js";
import { OUTPUTS_PREFIX } from "./api/routes/outputs.js";
import type { ObjectStorage } from "./artifacts/object-storage.js";
import { ReplicaQueue } from "./cluster/replica-queue.js";
import { clusterAgent, clusterEvents, clusterFiles } from "./cluster-parts.js";
import type { Config } from "./config.js";
import type { EngineHandle } from "./engine/handle.js";
import type { EnginePool } from "./engine/pool.js";
import type { JobEventObserver, JobEvents } from "./jobs/events.js";
import { DEFAULT_IMAGE_LIMITS } from "./jobs/images.js";
import { OutputRetention } from "./jobs/retention.js";
import { JobService } from "./jobs/service.js";
import type { WebhookPolicy } from "./jobs/webhook-policy.js";
import { WebhookSender } from "./jobs/webhooks.js";
import { DEFAULT_POLICY } from "./scheduler/policy.js";
import { PriorityDispatcher } from "./scheduler/priority-dispatcher.js";
import { lockDataFolder, type DataFolderLock } from "./store/folder-lock.js";
import { jobStoreLocation, openJobStore, type OpenedJobStore } from "./store/open.js";
import { PostgresJobStore } from "./store/postgres.js";
import type { JobRecord } from "./store/types.js";

/** Agents silent for longer are not listed in /api/system (they stopped, or died). */
const AGENTS_HEARD_WITHIN_MS = 5 * 60_000;

export interface ServiceParts {
  config: Config;
  pool: EnginePool;
  logger: Logger;
  modelRoot: string;
  apiKeys: readonly string[];
  /** Keys that see and act on every key's jobs (docs/api.md §8). */
  adminKeys?: readonly string[];
  version: string;
  /** The object storage of FRAMEPACK_STORAGE_URL (tests pass theirs); default: S3 by the config. */
  objects?: ObjectStorage;
  /** The job event hub, given the observer of every event (default: the one-box, in memory). */
  eventHub?: (observe: JobEventObserver) => JobEvents;
}

export async function assembleService({
  config,
  pool,
  logger,
  modelRoot,
  apiKeys,
  adminKeys = [],
  version,
  objects,
  eventHub,
}: ServiceParts) {
  // Nothing touches the folder yet; what can fail without the lock comes first.
  const { artifacts, shared, runStorage } = await clusterFiles(config, logger, objects);
  // Taken first and given up last: nothing in the folder is touched while another holds it.
  // A cluster's processes share the folder (or keep nothing lasting in it): no lock.
  const folderLock = config.databaseUrl === null ? lockDataFolder(config.dataDir) : undefined;
  const store = await openStore(config, folderLock, logger);
  const leased = store instanceof PostgresJobStore ? store : undefined;
  const dispatcher = new PriorityDispatcher(DEFAULT_POLICY);
  const metrics = new ServiceMetrics({
    queueLength: () => dispatcher.size(),
    engineStates: () => pool.slots().map((slot) => slot.state),
    job: (id) => store.get(id),
  });
  const webhookPolicy = webhookPolicyOf(config);
  const webhooks = webhookSender(config, store, logger, (job) => jobs.queuePosition(job));
  const observe: JobEventObserver = (jobId, event) => {
    metrics.observeJobEvent(jobId, event);
    webhooks.observe(jobId, event);
  };
  // Cluster mode brings its durable hub (docs/cluster.md); one box keeps events in memory.
  const durable =
    config.databaseUrl === null ? undefined : clusterEvents(config.databaseUrl, logger, observe);
  const events = eventHub?.(observe) ?? durable ?? new ObservedJobEventHub(observe, store);
  // Cluster mode: jobs wait in the database for the agents (this process's engines are one).
  const cluster = leased &&
    durable && {
      queue: new ReplicaQueue({
        store: leased,
        events,
        artifacts,
        logger,
        maxAttempts: config.maxAttempts,
        refreshMs: 1000,
        appended: (listener) => durable.onAppend(listener),
      }),
      agent:
        pool.slots().length === 0
          ? undefined
          : clusterAgent({ config, store: leased, pool, storage: runStorage, events, logger }),
    };
  const jobs = new JobService({
    store,
    dispatcher,
    pool,
    artifacts,
    events,
    logger,
    loraDir: config.loraDir,
    imageLimits: DEFAULT_IMAGE_LIMITS,
    maxAttempts: config.maxAttempts,
    preempt: config.preempt,
    maxQueueLength: config.maxQueueLength,
    maxQueuePerKey: config.maxQueuePerKey,
    webhooks: webhookPolicy,
    ...(cluster ? { queue: cluster.queue } : {}),
  });
  const retention = new OutputRetention({
    store,
    artifacts,
    logger,
    maxCompletedJobs: config.maxCompletedJobs,
    maxAgeMs: config.outputMaxAgeMs,
    intervalMs: config.cleanupIntervalMs,
  });
  const auth = new ApiKeyAuth(apiKeys, adminKeys);
  const app = await buildApp({
    logger,
    version,
    modelRoot,
    engines: () =>
      pool.slots().flatMap((slot): EngineHandle[] => (slot.engine ? [slot.engine] : [])),
    jobs,
    events,
    artifacts,
    ...(shared ? { sharedOutputs: { outputs: shared, presignS: config.outputPresignS } } : {}),
    loraDir: config.loraDir,
    bodyLimitBytes: config.bodyLimitBytes,
    auth,
    submitter: auth.submitter,
    cleanupJobs: () => retention.cleanup(),
    allowedOrigins: config.allowedOrigins,
    metrics,
    connectionLimits: config,
    webhookLog: (jobId) => webhooks.log(jobId),
    ...(leased ? { agents: () => leased.agents(AGENTS_HEARD_WITHIN_MS) } : {}),
  });
  return {
    app,
    store,
    artifacts,
    jobs,
    retention,
    webhooks,
    /** Starts the engines and the queue (recovering what a crash left). */
    start: async () => {
      await events.start(); // before any event
      await webhooks.start();
      await pool.start();
      await jobs.start();
      await cluster?.agent?.start();
    },
    close: async () => {
      await app.close();
      await retention.stop();
      jobs.stop();
      // Its running jobs go back to the queue for other hosts, their attempts given back.
      await cluster?.agent?.stop();
      await pool.stop();
      // The engines' last events: a durable hub writes what it still holds (its observer
      // hands them to the webhooks).
      await events.close();
      // After the engines (their jobs' last events are stored), before the store closes;
      // attempts under way are abandoned, never waited for.
      await webhooks.stop();
      // In a cluster the jobs still processing run on other hosts.
      if (!cluster) await store.requeueStopped();
      await store.close();
      folderLock?.release();
    },
  };
}

/** Whether and where jobs may ask for webhooks (docs/api.md §6). */
function webhookPolicyOf(config: Config): WebhookPolicy {
  return { enabled: config.webhookSecret !== null, allowedHosts: config.webhookAllowedHosts };
}

/**
 * The sender of the jobs' webhooks, fed with the events this process publishes: the
 * service's, and in a cluster every agent's too (its runs' events are published there).
 */
export function webhookSender(
  config: Config,
  store: OpenedJobStore,
  logger: Logger,
  queuePosition: (job: JobRecord) => number | null,
): WebhookSender {
  return new WebhookSender({
    deliveries: store.deliveries,
    jobs: store,
    // The record as GET /api/jobs/{id} shows it, but for the live preview.
    view: (job) =>
      queuedJob(job, {
        url: (key) => `${OUTPUTS_PREFIX}${key}`,
        preview: null,
        queuePosition: queuePosition(job),
      }),
    logger,
    secret: config.webhookSecret,
    policy: webhookPolicyOf(config),
    timeoutMs: config.webhookTimeoutMs,
    retryBaseMs: config.webhookRetryBaseMs,
    retryForMs: config.webhookRetryForMs,
  });
}

/** The configured job store; the folder is given up again when the store cannot open. */
async function openStore(
  config: Config,
  folderLock: DataFolderLock | undefined,
  log: Logger,
): Promise<OpenedJobStore> {
  try {
    const store = await openJobStore(config, log);
    // The URL without its password (docs/cluster.md).
    log.info({ jobStore: jobStoreLocation(config) }, `job store: ${jobStoreLocation(config)}`);
    return store;
  } catch (error) {
    folderLock?.release();
    throw error;
  }
}
