// Which service the CLI talks to: --server or FRAMEPACK_SERVER, and the API key from
// FRAMEPACK_API_KEY only (a flag would land in the shell history); the key is never printed.
import type { Command } from "commander";
import { createFramePackClient, type FramePackClient } from "../client/index.js";

export const DEFAULT_SERVER = "http://127.0.0.1:8080";

export interface ConnectionOptions {
  server: string;
}

export function addConnectionOption(command: Command): Command {
  return command.option(
    "--server <url>",
    "the service's URL (env FRAMEPACK_SERVER); the API key comes from env FRAMEPACK_API_KEY",
    process.env.FRAMEPACK_SERVER ?? DEFAULT_SERVER,
  );
}

/** The API key, or undefined when none is set. */
export function apiKeyFromEnvironment(): string | undefined {
  return process.env.FRAMEPACK_API_KEY || undefined;
}

export function connect(options: ConnectionOptions): FramePackClient {
  return createFramePackClient({ baseUrl: options.server, apiKey: apiKeyFromEnvironment() });
}
