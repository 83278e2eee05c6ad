// One service per data folder: a second start on a folder in use refuses and names the
// folder and the process holding it; a holder killed with SIGKILL leaves no stale lock.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { DataFolderInUseError, lockDataFolder } from "../src/store/folder-lock.js";
import { makeTempDir } from "./helpers/engine.js";
import { PROJECT_ROOT, startServerProcess } from "./helpers/server-process.js";

describe("the data folder lock", () => {
  it("is held until released, and then free again", () => {
    const folder = makeTempDir("folder-lock");
    const first = lockDataFolder(folder);
    expect(() => lockDataFolder(folder)).toThrow(DataFolderInUseError);
    expect(() => lockDataFolder(folder)).toThrow(
      new RegExp(`${folder}.*process ${String(process.pid)} on `),
    );
    first.release();
    lockDataFolder(folder).release();
  });

  it("makes a missing data folder", () => {
    const folder = join(makeTempDir("folder-lock"), "not", "yet");
    lockDataFolder(folder).release();
  });
});

/** Starts the compiled service and waits for it to exit; its status and stderr. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn("node", [join(PROJECT_ROOT, "dist", "src", "main.js")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, API_PORT: "0", FRAMEPACK_DEVICE: "cpu", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      resolve({ code, stderr });
    });
  });
}

describe("a second service on the same data folder", () => {
  it(
    "refuses to start while the first runs, and starts once it was killed",
    {
      timeout: 120_000,
    },
    async () => {
      const dataDir = makeTempDir("two-services");
      const env = { FRAMEPACK_DATA_DIR: dataDir, FRAMEPACK_MODEL_ROOT: inject("tinyModelRoot") };
      const first = startServerProcess(env);
      try {
        await first.listening;
        const second = await runToExit(env);
        expect(second.code).toBe(1);
        expect(second.stderr).toContain(dataDir);
        expect(second.stderr).toContain(`process ${String(first.child.pid)}`);
      } finally {
        first.child.kill("SIGKILL");
        await new Promise((resolve) => first.child.once("exit", resolve));
      }
      const third = startServerProcess(env);
      try {
        await third.listening;
      } finally {
        await third.stop();
      }
    },
  );
});
