// The engines of this process: one per configured device, started from the engine's
// virtual environment, supervised by the pool. Shared by `framepack serve` (src/main.ts)
// and `framepack agent` (src/agent-main.ts).
import type { Logger } from "pino";
import { enginePython, type Config } from "./config.js";
import { prepareModelRoot, TINY_NOTICE } from "./engine/model-set.js";
import { EnginePool } from "./engine/pool.js";
import { EngineProcess } from "./engine/process.js";

export function enginePool(config: Config, modelRoot: string, logger: Logger): EnginePool {
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
        gpuMemoryGb: config.gpuMemoryGb,
        transformerDtype: config.transformerDtype,
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
    stallTimeoutMs: config.stallTimeoutS * 1000,
    restartDelayMs: { initial: 1000, max: 60_000 },
    logger,
  });
}

/** The model set the engines load: the configured root, the downloaded one, or the tiny set. */
export function modelRootOf(config: Config, logger: Logger): Promise<string> {
  return prepareModelRoot({
    modelRoot: config.modelRoot,
    dataDir: config.dataDir,
    python: enginePython(config),
    engineDir: config.engineDir,
    logger,
  });
}
