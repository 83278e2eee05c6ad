// `framepack agent` (docs/cluster.md): a GPU host of a cluster. It starts the engines of
// FRAMEPACK_DEVICE, takes jobs from the shared queue of FRAMEPACK_DATABASE_URL, publishes
// their events to the durable log, keeps their files where every replica reads them, and
// serves its own /health and /metrics. SIGINT/SIGTERM give its running jobs back.
import Fastify from "fastify";
import { LOG_REDACTION } from "./api/auth.js";
import { installMetrics, ServiceMetrics } from "./api/metrics.js";
import { healthRoutes } from "./api/routes/health.js";
import { clusterAgent, clusterEvents, clusterFiles } from "./cluster-parts.js";
import { loadConfig } from "./config.js";
import { enginePool, modelRootOf } from "./engines.js";
import { serviceLogger } from "./log-format.js";
import { webhookSender } from "./service.js";
import { PostgresJobStore } from "./store/postgres.js";

export async function runAgent(): Promise<void> {
  const config = loadConfig();
  const logger = serviceLogger({ level: config.logLevel, redact: LOG_REDACTION }, config.logFormat);
  if (config.databaseUrl === null) {
    throw new Error(
      "an agent takes its jobs from the cluster's database: set FRAMEPACK_DATABASE_URL (see the README's Scale out)",
    );
  }
  if (config.devices.length === 0) {
    throw new Error("an agent runs engines: FRAMEPACK_DEVICE=none leaves it nothing to do");
  }
  const modelRoot = await modelRootOf(config, logger);
  const store = await PostgresJobStore.open(config.databaseUrl, { log: logger });
  const pool = enginePool(config, modelRoot, logger);
  const metrics = new ServiceMetrics({
    queueLength: () => 0,
    engineStates: () => pool.slots().map((slot) => slot.state),
    job: (jobId) => store.get(jobId),
  });
  // The webhooks of the jobs' events this host publishes (their ends, mostly).
  const webhooks = webhookSender(config, store, logger, () => null);
  const events = clusterEvents(config.databaseUrl, logger, (jobId, event) => {
    metrics.observeJobEvent(jobId, event);
    webhooks.observe(jobId, event);
  });
  const { runStorage } = await clusterFiles(config, logger);
  const agent = clusterAgent({ config, store, pool, storage: runStorage, events, logger });
  const { id } = agent;
  await events.start();
  await webhooks.start();
  await pool.start();
  await agent.start();
  const app = Fastify();
  await app.register(healthRoutes);
  installMetrics(app, metrics);
  const url = await app.listen({ host: config.apiHost, port: config.agentPort });
  logger.info(
    { agent: id, url },
    `agent ${id} runs ${String(config.devices.length)} engine(s); Server listening at ${url}`,
  );

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal, agent: id }, "agent stopping: its running jobs go back to the queue");
    await agent.stop();
    await pool.stop();
    await app.close();
    await events.close();
    await webhooks.stop();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", (signal) => void stop(signal));
  process.once("SIGTERM", (signal) => void stop(signal));
}
