import type { RoutesPlugin } from "../type-provider.js";
import type { Static } from "typebox";
import type { EngineHandle } from "../../engine/handle.js";
import { TINY_NOTICE } from "../../engine/model-set.js";
import type { AgentInfo } from "../../store/leases.js";
import { ERROR_RESPONSES, SystemReport } from "../responses.js";

export interface SystemRoutesOptions {
  /** The engines running now (a restarted engine is a new handle). */
  engines: () => readonly EngineHandle[];
  modelRoot: string;
  version: string;
  /** Whether the queue is paused (docs/api.md §6). */
  queuePaused: () => boolean;
  /** Cluster mode: the agents heard from lately (undefined on one box). */
  agents?: () => Promise<AgentInfo[]>;
  /** How long one engine may take to answer a status request. */
  statusTimeoutMs?: number;
}

type EngineReport = Static<typeof SystemReport>["engines"][number];

async function reportEngine(engine: EngineHandle, timeoutMs: number): Promise<EngineReport> {
  const { hello } = engine;
  const base = {
    id: engine.id,
    engine_version: hello.engine_version,
    protocol_version: hello.protocol_version,
    versions: hello.versions,
    device: hello.device,
    capabilities: hello.capabilities,
  };
  try {
    const status = await engine.status(timeoutMs);
    return {
      ...base,
      state: status.state,
      model_set: status.model_set,
      memory: status.memory,
      loaded_models: status.loaded_models,
      uptime_s: status.uptime_s,
      error: null,
    };
  } catch (error) {
    // The handshake still tells what the engine is; the error says why it is silent.
    return {
      ...base,
      state: "unresponsive",
      model_set: hello.model_set,
      memory: hello.memory,
      loaded_models: [],
      uptime_s: null,
      error: (error as Error).message,
    };
  }
}

/** Engines, devices, versions, loaded models and memory, live from each engine. */
export const systemRoutes: RoutesPlugin<SystemRoutesOptions> = (app, options) => {
  const timeoutMs = options.statusTimeoutMs ?? 5_000;
  const schema = {
    tags: ["system"],
    summary: "Service and engines",
    description:
      "The service's version, the model set (and whether it is the tiny random-weight demo set), and each engine's devices, loaded models and memory, asked live.",
    response: { 200: SystemReport, ...ERROR_RESPONSES },
  };
  app.get("/api/system", { schema }, async () => {
    const engines = options.engines();
    const tiny = engines.some((engine) => engine.hello.model_set.tiny);
    return {
      version: options.version,
      model_set: { root: options.modelRoot, tiny, notice: tiny ? TINY_NOTICE : null },
      engines: await Promise.all(engines.map((engine) => reportEngine(engine, timeoutMs))),
      queue_paused: options.queuePaused(),
      ...(options.agents ? { agents: agentReports(await options.agents()) } : {}),
    };
  });
  return Promise.resolve();
};

/** The agents as the report shows them; their engines as each heartbeat described them. */
function agentReports(agents: readonly AgentInfo[]): Static<typeof SystemReport>["agents"] {
  return agents.map((agent) => ({
    id: agent.id,
    host: agent.host,
    engines: agent.engines as NonNullable<Static<typeof SystemReport>["agents"]>[number]["engines"],
    started_at: agent.startedAt,
    heartbeat_at: agent.heartbeatAt,
  }));
}
