// `npm start` end to end: the compiled service, started as a user starts it, with
// no model root configured, so it writes the tiny set into its data directory.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "./helpers/engine.js";
import { startServerProcess, type ServerProcess } from "./helpers/server-process.js";

describe("the service started like npm start", () => {
  let service: ServerProcess;
  let baseUrl: string;
  const dataDir = makeTempDir("service");

  beforeAll(async () => {
    service = startServerProcess({ FRAMEPACK_DATA_DIR: dataDir });
    baseUrl = await service.listening;
  });

  afterAll(async () => {
    await service.stop();
  });

  it("serves /health", async () => {
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("generated the tiny set in the data directory and says so loudly", async () => {
    const root = join(dataDir, "models-tiny");
    expect(existsSync(join(root, "framepack-tiny.json"))).toBe(true);
    const warning = service.logs.find((entry) => entry.msg.includes("TINY RANDOM-WEIGHT"));
    expect(warning?.level).toBe(40);

    const system = (await (await fetch(`${baseUrl}/api/system`)).json()) as {
      model_set: { root: string; tiny: boolean; notice: string | null };
      engines: { state: string; device: { kind: string }; versions: { torch: string } }[];
    };
    expect(system.model_set).toMatchObject({ root, tiny: true });
    expect(system.model_set.notice).toContain("TINY RANDOM-WEIGHT");
    expect(system.engines).toHaveLength(1);
    expect(system.engines[0]).toMatchObject({ state: "idle", device: { kind: "cpu" } });
    expect(system.engines[0]?.versions.torch).toMatch(/^\d+\./);
  });
});
