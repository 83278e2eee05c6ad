// A throwaway S3 stand-in for tests and benchmarks (docs/cluster.md): moto's server from
// its own pinned venv (scripts/tool-env.sh moto, created on demand) on a free port of
// 127.0.0.1, keeping everything in memory. As a module: `startMoto()` gives
// { endpoint, stop }. As a command: starts one, prints its endpoint and stops it on
// SIGINT/SIGTERM.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { freePort } from "./free-port.mjs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MOTO_SERVER = join(root, "tools", "moto", ".venv", "bin", "moto_server");
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** Creates or refreshes tools/moto/.venv (returns at once when it is current). */
export function ensureMotoInstalled() {
  const run = spawnSync("bash", [join(root, "scripts", "tool-env.sh"), "moto"], {
    encoding: "utf8",
  });
  if (run.status !== 0 || !existsSync(MOTO_SERVER)) {
    throw new Error(`scripts/tool-env.sh moto failed (exit ${run.status}):\n${run.stderr}`);
  }
}

/** Polls the endpoint until it answers HTTP, the process exits, or the time is up. */
async function waitUntilAnswering(endpoint, child, log) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited (${child.exitCode}):\n${log()}`);
    const answered = await fetch(endpoint, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false, // not listening yet
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer within ${READY_TIMEOUT_MS} ms:\n${log()}`);
}

/** Starts a fresh, empty server; `stop()` ends it and waits (bounded) for its exit. */
export async function startMoto() {
  ensureMotoInstalled();
  const port = await freePort();
  const child = spawn(MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000); // the tail, for a failure's message
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, () => stderr);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    endpoint,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startMoto();
  console.log(server.endpoint);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
