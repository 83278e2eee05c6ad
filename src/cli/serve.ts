// `framepack serve`: the service in this process, exactly as `npm start` runs it.
import { Command } from "commander";
import { integer } from "./values.js";

interface ServeOptions {
  host?: string;
  port?: number;
  /** commander's --no-engines: false when given. */
  engines: boolean;
}

export function serveCommand() {
  return new Command("serve")
    .description(
      "Run the service (configured by environment variables, see the README; Ctrl-C stops it)",
    )
    .option("--host <address>", "interface to listen on (overrides API_HOST)")
    .option("--port <n>", "port to listen on (overrides API_PORT)", integer)
    .option(
      "--no-engines",
      "run no engines: an API replica of a cluster, whose agents run the jobs (FRAMEPACK_DEVICE=none; needs FRAMEPACK_DATABASE_URL)",
    )
    .action(async (options: ServeOptions) => {
      // The flags are the configuration's own variables, so loadConfig checks them.
      if (options.host !== undefined) process.env.API_HOST = options.host;
      if (options.port !== undefined) process.env.API_PORT = String(options.port);
      if (!options.engines) process.env.FRAMEPACK_DEVICE = "none";
      // Imported here, so the client commands never load the server and its natives.
      const { runService } = await import("../main.js");
      await runService();
    });
}
