// `npm start`: read the configuration, pick the model set, start the engines, recover
// the queue, serve HTTP, and shut everything down in order on SIGINT/SIGTERM.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { buildApp } from "./api/app.js";
import { ApiKeyAuth, loadApiKeys, LOG_REDACTION, SHORT_KEY_LENGTH } from "./api/auth.js";
import { ObservedJobEventHub, ServiceMetrics } from "./api/metrics.js";
import { LocalArtifactStore } from "./artifacts/local.js";
import { enginePython, loadConfig, type Config } from "./config.js";
import type { EngineHandle } from "./engine/handle.js";
import { prepareModelRoot, TINY_NOTICE } from "./engine/model-set.js";
import { EnginePool } from "./engine/pool.js";
import { EngineProcess } from "./engine/process.js";
import { DEFAULT_IMAGE_LIMITS } from "./jobs/intake.js";
import { OutputRetention } from "./jobs/retention.js";
import { JobService } from "./jobs/service.js";
import { PROJECT_ROOT } from "./paths.js";
import { DEFAULT_POLICY } from "./scheduler/policy.js";
import { PriorityDispatcher } from "./scheduler/priority-dispatcher.js";
import { SqliteJobStore } from "./store/sqlite.js";
import type { Logger } from "pino";

const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  version: string;
};

function enginePool(config: Config, modelRoot: string, logger: Logger): EnginePool {
  const python = enginePython(config);
  let tinyWarned = false;
  return new EnginePool({
    ids: config.devices.map((_, index) => `engine-${index}`),
    start: async (id) => {
      const index = Number(id.split("-")[1]);
      const engine = await EngineProcess.start({
        id,
        python,
        cwd: config.engineDir,
        modelRoot,
        device: config.devices[index] ?? "auto",
        memoryMode: config.memoryMode,
        heartbeatIntervalS: config.heartbeatIntervalS,
        startTimeoutMs: config.engineStartTimeoutMs,
        logger,
      });
      if (engine.hello.model_set.tiny && !tinyWarned) {
        tinyWarned = true;
        logger.warn({ modelRoot }, TINY_NOTICE);
      }
      return engine;
    },
    heartbeatTimeoutMs: config.heartbeatTimeoutMs,
    restartDelayMs: { initial: 1000, max: 60_000 },
    logger,
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({
    level: config.logLevel,
    redact: LOG_REDACTION,
  });
  const apiKeys = await loadApiKeys(config.apiKeys, config.apiKeysFile);
  if (apiKeys.some((key) => key.length < SHORT_KEY_LENGTH)) {
    logger.warn(`an API key is shorter than ${SHORT_KEY_LENGTH} characters: use long random keys`);
  }
  logger.info(
    { apiKeys: apiKeys.length },
    apiKeys.length ? "API keys required" : "no API keys: open",
  );
  const modelRoot = await prepareModelRoot({
    modelRoot: config.modelRoot,
    dataDir: config.dataDir,
    python: enginePython(config),
    engineDir: config.engineDir,
    logger,
  });
  const store = SqliteJobStore.open(join(config.dataDir, "jobs.sqlite"));
  const artifacts = new LocalArtifactStore(join(config.dataDir, "jobs"));
  const pool = enginePool(config, modelRoot, logger);
  const dispatcher = new PriorityDispatcher(DEFAULT_POLICY);
  const metrics = new ServiceMetrics({
    queueLength: () => dispatcher.size(),
    engineStates: () => pool.slots().map((slot) => slot.state),
    job: (id) => store.get(id),
  });
  const events = new ObservedJobEventHub(metrics.observeJobEvent);
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
    maxQueueLength: config.maxQueueLength,
    maxQueuePerKey: config.maxQueuePerKey,
  });
  await pool.start();
  await jobs.start();
  const retention = new OutputRetention({
    store,
    artifacts,
    logger,
    maxCompletedJobs: config.maxCompletedJobs,
    maxAgeMs: config.outputMaxAgeMs,
    intervalMs: config.cleanupIntervalMs,
  });
  retention.start();
  const auth = new ApiKeyAuth(apiKeys);
  const app = await buildApp({
    logger,
    version: packageJson.version,
    modelRoot,
    engines: () =>
      pool.slots().flatMap((slot): EngineHandle[] => (slot.engine ? [slot.engine] : [])),
    jobs,
    events,
    artifacts,
    loraDir: config.loraDir,
    bodyLimitBytes: config.bodyLimitBytes,
    auth,
    submitter: auth.submitter,
    cleanupJobs: () => retention.cleanup(),
    allowedOrigins: config.allowedOrigins,
    metrics,
  });
  await app.listen({ host: config.apiHost, port: config.apiPort });

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, "shutting down");
    await app.close();
    await retention.stop();
    await pool.stop();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", (signal) => void stop(signal));
  process.once("SIGTERM", (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`framepack service failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
