// The service's OpenAPI document without engines, for generating the client SDK: the
// real wiring (src/service.ts) around an empty engine pool, in a throwaway data folder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "./config.js";
import { EnginePool } from "./engine/pool.js";
import { assembleService } from "./service.js";
import { SERVICE_VERSION } from "./version.js";

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(join(tmpdir(), "framepack-openapi-"));
  const logger = pino({ level: "silent" });
  const pool = new EnginePool({
    ids: [],
    start: () => Promise.reject(new Error("no engines when only documenting")),
    heartbeatTimeoutMs: 30_000,
    stallTimeoutMs: 30_000,
    restartDelayMs: { initial: 1000, max: 1000 },
    logger,
  });
  const service = await assembleService({
    config: loadConfig({ FRAMEPACK_DATA_DIR: dataDir, LORA_DIR: join(dataDir, "loras") }),
    pool,
    logger,
    modelRoot: "",
    apiKeys: [],
    version: SERVICE_VERSION,
  });
  try {
    await service.app.ready();
    return service.app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await service.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
