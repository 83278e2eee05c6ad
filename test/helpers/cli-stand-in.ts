// The CLI's client commands against a stand-in server that records each submission and
// answers it as accepted (with --no-wait the command stops there): what a flag sends,
// without a real service.
import { spawn } from "node:child_process";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PROJECT_ROOT } from "./server-process.js";

export const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");

export interface Submission {
  path: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export interface SubmissionRecorder {
  url: string;
  /** Every submission so far, oldest first. */
  bodies: Submission[];
  close: () => Promise<void>;
}

export async function recordSubmissions(): Promise<SubmissionRecorder> {
  const bodies: Submission[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      bodies.push({ path: request.url ?? "", body, headers: request.headers });
      response.writeHead(202, { "content-type": "application/json" });
      response.end(JSON.stringify({ job_id: "job-1", status: "pending" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    bodies,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

/** Runs `framepack ARGS` against `url` without an API key; its exit code and stderr. */
export async function runCli(
  args: string[],
  url: string,
): Promise<{ code: unknown; stderr: string }> {
  const child = spawn("node", [CLI, ...args], {
    env: { ...process.env, FRAMEPACK_API_KEY: "", FRAMEPACK_SERVER: url },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once("close", resolve));
  return { code, stderr };
}
