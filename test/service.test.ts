// `npm start` end to end: the compiled service, started as a user starts it, with
// no model root configured, so it writes the tiny set into its data directory.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "./helpers/engine.js";

const ROOT = join(import.meta.dirname, "..");

interface LogLine {
  level: number;
  msg: string;
}

function startService(dataDir: string) {
  const child = spawn("node", [join(ROOT, "dist", "src", "main.js")], {
    cwd: ROOT,
    env: { ...process.env, API_PORT: "0", FRAMEPACK_DATA_DIR: dataDir, FRAMEPACK_DEVICE: "cpu" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: LogLine[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => {
      reject(new Error(`service exited with ${String(code)}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      const entry = JSON.parse(line) as LogLine;
      logs.push(entry);
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(entry.msg)?.[1];
      if (url) resolve(url);
    });
  });
  return { child, logs, listening };
}

describe("the service started like npm start", () => {
  let service: ReturnType<typeof startService>;
  let baseUrl: string;
  const dataDir = makeTempDir("service");

  beforeAll(async () => {
    await promisify(execFile)(join(ROOT, "node_modules", ".bin", "tsc"), [
      "-p",
      join(ROOT, "tsconfig.build.json"),
    ]);
    service = startService(dataDir);
    baseUrl = await service.listening;
  });

  afterAll(async () => {
    const child: ChildProcess = service.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
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
