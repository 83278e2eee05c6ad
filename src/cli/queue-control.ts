// Queue control (docs/api.md §6): `framepack queue pause|resume|status`, `framepack
// retry ID [--new-seed]` and `framepack delete ID`. Ids may be short (the first 8
// characters, as `framepack jobs` shows them).
import { Command } from "commander";
import { unwrap } from "../client/index.js";
import { addConnectionOption, connect, type ConnectionOptions } from "./connection.js";

interface JsonOption extends ConnectionOptions {
  json?: boolean;
}

const ID_HELP = "the job id, or its first 8 characters (as files and `framepack jobs` show it)";

interface QueueState {
  paused: boolean;
  pending: number;
  running: string[];
}

/** "paused: 3 waiting, 1 running (8801f0d9)" */
export function describeQueue(state: QueueState): string {
  const running = state.running.map((id) => id.slice(0, 8)).join(", ");
  return `${state.paused ? "paused" : "running"}: ${String(state.pending)} waiting, ${String(state.running.length)} running${running ? ` (${running})` : ""}`;
}

function queueAction(action: "pause" | "resume" | "status", description: string) {
  return addConnectionOption(new Command(action).description(description))
    .option("--json", "print the queue's state as JSON")
    .action(async (options: JsonOption) => {
      const client = connect(options);
      const state = await unwrap(
        action === "status" ? client.GET("/api/queue") : client.POST(`/api/queue/${action}`),
      );
      process.stdout.write(
        options.json ? `${JSON.stringify(state)}\n` : `${describeQueue(state)}\n`,
      );
    });
}

export function queueCommand() {
  return new Command("queue")
    .description(
      "Pause or resume the queue (running jobs finish; submissions are still taken), or show it",
    )
    .addCommand(queueAction("pause", "Start no further job until resumed (kept across restarts)"))
    .addCommand(queueAction("resume", "Start jobs again"))
    .addCommand(queueAction("status", "Whether the queue is paused, what waits and what runs"));
}

export function retryCommand() {
  return addConnectionOption(
    new Command("retry").description(
      "Submit a finished (completed, failed or cancelled) job again as a new job, with the same inputs",
    ),
  )
    .argument("<id>", ID_HELP)
    .option("--new-seed", "draw new seeds instead of the ones the job used")
    .option("--json", "print the answer as JSON")
    .action(async (id: string, options: JsonOption & { newSeed?: boolean }) => {
      const answer = await unwrap(
        connect(options).POST("/api/jobs/{id}/retry", {
          params: { path: { id } },
          body: { new_seed: options.newSeed === true },
        }),
      );
      process.stdout.write(
        options.json ? `${JSON.stringify(answer)}\n` : `${answer.job_id} ${answer.status}\n`,
      );
    });
}

export function deleteCommand() {
  return addConnectionOption(
    new Command("delete").description(
      "Delete a finished job's record and files (cancel a waiting or running one first)",
    ),
  )
    .argument("<id>", ID_HELP)
    .action(async (id: string, options: ConnectionOptions) => {
      await unwrap(connect(options).DELETE("/api/jobs/{id}", { params: { path: { id } } }));
      process.stdout.write(`${id} deleted\n`);
    });
}
