// `framepack agent`: a GPU host of a cluster (docs/cluster.md): runs the engines of
// FRAMEPACK_DEVICE, takes work from the shared queue of FRAMEPACK_DATABASE_URL and serves
// its own /health and /metrics; Ctrl-C gives its running jobs back and stops.
import { Command } from "commander";
import { integer } from "./values.js";

interface AgentOptions {
  port?: number;
}

export function agentCommand() {
  return new Command("agent")
    .description(
      "Run a cluster's GPU host: its engines take jobs from the shared queue (FRAMEPACK_DATABASE_URL; see the README's Scale out)",
    )
    .option(
      "--port <n>",
      "port of its /health and /metrics (overrides FRAMEPACK_AGENT_PORT)",
      integer,
    )
    .action(async (options: AgentOptions) => {
      if (options.port !== undefined) process.env.FRAMEPACK_AGENT_PORT = String(options.port);
      // Imported here, so the client commands never load the engines and their natives.
      const { runAgent } = await import("../agent-main.js");
      await runAgent();
    });
}
