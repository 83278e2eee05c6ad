// The compiled service (dist/, built by the global setup) as a child process, the way
// `npm start` runs it; for tests that kill or restart the server itself.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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
  return startNodeProcess([join(PROJECT_ROOT, "dist", "src", "main.js")], env);
}

/**
 * A compiled entry point of the service (`args` for node) as a child process with JSON
 * logs on stdout; `listening` resolves with the first URL it says it listens at.
 */
export function startNodeProcess(
  args: string[],
  env: Record<string, string>,
  /** A command that runs node (`ip netns exec <ns>`, say); none by default. */
  prefix: string[] = [],
): ServerProcess {
  const argv = [...prefix, "node", ...args];
  const child = spawn(argv[0] ?? "node", argv.slice(1), {
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

/** The ids of a process's children (a server's engines), from /proc. */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so read after its ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** The ids of processes whose environment holds NAME=value (a server and its engines). */
export function pidsWithEnvironment(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(wanted);
      } catch {
        return false;
      }
    })
    .map(Number);
}
