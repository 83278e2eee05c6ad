// `framepack watch <id>`: follow a job already submitted, as the generation commands do.
import { Command } from "commander";
import { unwrap } from "../client/index.js";
import { addConnectionOption, connect, type ConnectionOptions } from "./connection.js";
import { followJob } from "./follow.js";
import { progressBarReporter } from "./progress-bar.js";
import { jsonLinesReporter } from "./reporter.js";

interface WatchOptions extends ConnectionOptions {
  out?: string;
  json?: boolean;
}

export function watchCommand() {
  return addConnectionOption(
    new Command("watch").description("Follow a job until it ends; download its outputs with --out"),
  )
    .argument(
      "<id>",
      "the job id, or its first 8 characters (as files and `framepack jobs` show it)",
    )
    .option("-o, --out <dir>", "download the outputs to this folder once the job completes")
    .option("--json", "print the job's events as JSON lines on stdout instead of progress bars")
    .action(async (id: string, options: WatchOptions) => {
      const client = connect(options);
      // Read first: an unknown id fails here with the server's message, and the type
      // says whether to show batch progress.
      const job = await unwrap(client.GET("/api/jobs/{id}", { params: { path: { id } } }));
      const reporter = options.json
        ? jsonLinesReporter()
        : progressBarReporter({ batch: job.type === "batch_image" });
      await followJob({ client, reporter, out: options.out, server: options.server }, id);
    });
}
