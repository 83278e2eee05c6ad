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
import { clusterFiles } from "./cluster-parts.js";
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
  const { artifacts, shared } = await clusterFiles(config, objects);
  // Taken first and given up last: nothing in the folder is touched while another holds it.
  const folderLock = lockDataFolder(config.dataDir);
  const store = await openStore(config, folderLock, logger);
  const dispatcher = new PriorityDispatcher(DEFAULT_POLICY);
  const metrics = new ServiceMetrics({
    queueLength: () => dispatcher.size(),
    engineStates: () => pool.slots().map((slot) => slot.state),
    job: (id) => store.get(id),
  });
  const webhookPolicy: WebhookPolicy = {
    enabled: config.webhookSecret !== null,
    allowedHosts: config.webhookAllowedHosts,
  };
  const webhooks = new WebhookSender({
    deliveries: store.deliveries,
    jobs: store,
    // The record as GET /api/jobs/{id} shows it, but for the live preview.
    view: (job) =>
      queuedJob(job, {
        url: (key) => `${OUTPUTS_PREFIX}${key}`,
        preview: null,
        queuePosition: jobs.queuePosition(job),
      }),
    logger,
    secret: config.webhookSecret,
    policy: webhookPolicy,
    timeoutMs: config.webhookTimeoutMs,
    retryBaseMs: config.webhookRetryBaseMs,
    retryForMs: config.webhookRetryForMs,
  });
  const observe: JobEventObserver = (jobId, event) => {
    metrics.observeJobEvent(jobId, event);
    webhooks.observe(jobId, event);
  };
  // Cluster mode brings its durable hub (docs/cluster.md); one box keeps events in memory.
  const events = eventHub?.(observe) ?? new ObservedJobEventHub(observe, store);
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
    },
    close: async () => {
      await app.close();
      await retention.stop();
      jobs.stop();
      await pool.stop();
      // The engines' last events: a durable hub writes what it still holds (its observer
      // hands them to the webhooks).
      await events.close();
      // After the engines (their jobs' last events are stored), before the store closes;
      // attempts under way are abandoned, never waited for.
      await webhooks.stop();
      await store.requeueStopped();
      await store.close();
      folderLock.release();
    },
  };
}

/** The configured job store; the folder is given up again when the store cannot open. */
async function openStore(
  config: Config,
  folderLock: DataFolderLock,
  log: Logger,
): Promise<OpenedJobStore> {
  try {
    const store = await openJobStore(config, log);
    // The URL without its password (docs/cluster.md).
    log.info({ jobStore: jobStoreLocation(config) }, `job store: ${jobStoreLocation(config)}`);
    return store;
  } catch (error) {
    folderLock.release();
    throw error;
  }
}
