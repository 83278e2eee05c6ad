// `framepack cancel <id>`: POST /api/jobs/{id}/cancel.
import { Command } from "commander";
import { unwrap } from "../client/index.js";
import { addConnectionOption, connect, type ConnectionOptions } from "./connection.js";

interface CancelOptions extends ConnectionOptions {
  json?: boolean;
}

export function cancelCommand() {
  return addConnectionOption(
    new Command("cancel").description(
      "Cancel a job: a waiting one is removed, a running one stops within a sampler step",
    ),
  )
    .argument(
      "<id>",
      "the job id, or its first 8 characters (as files and `framepack jobs` show it)",
    )
    .option("--json", "print the job record as JSON")
    .action(async (id: string, options: CancelOptions) => {
      const job = await unwrap(
        connect(options).POST("/api/jobs/{id}/cancel", { params: { path: { id } } }),
      );
      process.stdout.write(options.json ? `${JSON.stringify(job)}\n` : `${job.id} ${job.status}\n`);
    });
}
