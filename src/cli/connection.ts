// Which service the CLI talks to: --server or FRAMEPACK_SERVER, and the API key from
// --api-key or FRAMEPACK_API_KEY (the variable keeps it out of the shell history); the
// key is never printed.
import type { Command } from "commander";
import { createFramePackClient, type FramePackClient } from "../client/index.js";

export const DEFAULT_SERVER = "http://127.0.0.1:8080";

export interface ConnectionOptions {
  server: string;
  apiKey?: string;
}

export function addConnectionOption(command: Command): Command {
  return command
    .option(
      "--server <url>",
      "the service's URL (env FRAMEPACK_SERVER)",
      process.env.FRAMEPACK_SERVER ?? DEFAULT_SERVER,
    )
    .option(
      "--api-key <key>",
      "the API key, when the server needs one (env FRAMEPACK_API_KEY keeps it out of the shell history)",
    );
}

/** The API key from the environment, or undefined when none is set. */
export function apiKeyFromEnvironment(): string | undefined {
  return process.env.FRAMEPACK_API_KEY || undefined;
}

/** The API key a command uses: --api-key, else FRAMEPACK_API_KEY; undefined when neither. */
export function apiKeyOf(options: Partial<ConnectionOptions>): string | undefined {
  return options.apiKey || apiKeyFromEnvironment();
}

export function connect(options: ConnectionOptions): FramePackClient {
  return createFramePackClient({ baseUrl: options.server, apiKey: apiKeyOf(options) });
}

/** ` --server URL` when the command talks to another service than the default one. */
export function serverFlag(server: string | undefined): string {
  return server === undefined || server === DEFAULT_SERVER ? "" : ` --server ${shellWord(server)}`;
}

/** A word as a shell reads it back: quoted when it holds anything but safe characters. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
