// `npm start`: read the configuration, pick the model set, start the engine,
// serve HTTP, and shut everything down in order on SIGINT/SIGTERM.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { buildApp } from "./api/app.js";
import { enginePython, loadConfig } from "./config.js";
import { prepareModelRoot, TINY_NOTICE } from "./engine/model-set.js";
import { EngineProcess } from "./engine/process.js";
import { PROJECT_ROOT } from "./paths.js";

const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  version: string;
};

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const python = enginePython(config);
  const modelRoot = await prepareModelRoot({
    modelRoot: config.modelRoot,
    dataDir: config.dataDir,
    python,
    engineDir: config.engineDir,
    logger,
  });
  const engine = await EngineProcess.start({
    id: "engine-0",
    python,
    cwd: config.engineDir,
    modelRoot,
    device: config.device,
    heartbeatIntervalS: config.heartbeatIntervalS,
    startTimeoutMs: config.engineStartTimeoutMs,
    logger,
  });
  if (engine.hello.model_set.tiny) logger.warn({ modelRoot }, TINY_NOTICE);
  const app = await buildApp({
    engines: [engine],
    modelRoot,
    version: packageJson.version,
    logger,
  });
  await app.listen({ host: config.apiHost, port: config.apiPort });

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, "shutting down");
    await app.close();
    await engine.shutdown();
    process.exit(0);
  };
  process.once("SIGINT", (signal) => void stop(signal));
  process.once("SIGTERM", (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`framepack service failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
