// `npm start` (and `framepack serve`): read the configuration, pick the model set, start
// the engines, recover the queue, serve HTTP, and shut everything down in order on
// SIGINT/SIGTERM.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadApiKeys, LOG_REDACTION, SHORT_KEY_LENGTH } from "./api/auth.js";
import { loadConfig } from "./config.js";
import { enginePool, modelRootOf } from "./engines.js";
import { serviceLogger } from "./log-format.js";
import { assembleService } from "./service.js";
import { SERVICE_VERSION } from "./version.js";

/** The start-up line a person sees on the terminal: where the studio is, and how to stop. */
export function startupMessage(url: string): string {
  return `FramePack studio at ${url}/ (API docs at ${url}/docs); Ctrl-C stops it`;
}

export async function runService(): Promise<void> {
  const config = loadConfig();
  // JSON unless a person reads it (LOG_FORMAT, src/log-format.ts); HTTP requests at debug.
  const logger = serviceLogger({ level: config.logLevel, redact: LOG_REDACTION }, config.logFormat);
  const apiKeys = await loadApiKeys(config.apiKeys, config.apiKeysFile);
  const adminKeys = await loadApiKeys(config.apiAdminKeys, config.apiAdminKeysFile);
  if ([...apiKeys, ...adminKeys].some((key) => key.length < SHORT_KEY_LENGTH)) {
    logger.warn(`an API key is shorter than ${SHORT_KEY_LENGTH} characters: use long random keys`);
  }
  const keyed = apiKeys.length + adminKeys.length > 0;
  logger.info(
    { apiKeys: apiKeys.length, adminKeys: adminKeys.length },
    keyed ? "API keys required; each key sees its own jobs" : "no API keys: open",
  );
  const modelRoot = await modelRootOf(config, logger);
  logger.info({ modelRoot }, `model set: ${modelRoot}`);
  const pool = enginePool(config, modelRoot, logger);
  const service = await assembleService({
    config,
    pool,
    logger,
    modelRoot,
    apiKeys,
    adminKeys,
    version: SERVICE_VERSION,
  });
  await service.start();
  service.retention.start();
  const { app } = service;
  const url = await app.listen({ host: config.apiHost, port: config.apiPort });
  logger.info({ url }, startupMessage(url));

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, "shutting down");
    await service.close();
    process.exit(0);
  };
  process.once("SIGINT", (signal) => void stop(signal));
  process.once("SIGTERM", (signal) => void stop(signal));
}

/** Runs the service, or says on stderr why it could not start and exits 1. */
function runServiceOrExit(): void {
  runService().catch((error: unknown) => {
    process.stderr.write(`framepack service failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}

// Run when started as `node dist/src/main.js` (through links too); the CLI imports it.
const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) runServiceOrExit();
