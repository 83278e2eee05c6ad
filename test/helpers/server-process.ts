// The compiled service (dist/, built by the global setup) as a child process, the way
// `npm start` runs it; for tests that kill or restart the server itself.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const PROJECT_ROOT = join(import.meta.dirname, "..", "..");

export interface LogLine {
  level: number;
  msg: string;
}

export interface ServerProcess {
  child: ChildProcess;
  logs: LogLine[];
  /** Resolves with the base URL once the server listens. */
  listening: Promise<string>;
  stop: () => Promise<void>;
}

export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn("node", [join(PROJECT_ROOT, "dist", "src", "main.js")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, API_PORT: "0", FRAMEPACK_DEVICE: "cpu", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: LogLine[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => {
      reject(new Error(`service exited with ${String(code)}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const entry = JSON.parse(line) as LogLine;
      logs.push(entry);
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(entry.msg)?.[1];
      if (url) resolve(url);
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return { child, logs, listening, stop };
}
