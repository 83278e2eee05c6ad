// `framepack jobs`: the job list, newest first (GET /api/jobs), as a table or JSON.
import { Command, Option } from "commander";
import { unwrap, type JobListQuery, type QueuedJob } from "../client/index.js";
import { addConnectionOption, connect, type ConnectionOptions } from "./connection.js";
import { integer } from "./values.js";

interface JobsOptions extends ConnectionOptions, JobListQuery {
  json?: boolean;
}

function row(job: QueuedJob): string {
  const progress = `${Math.round(job.progress * 100)}%`.padStart(4);
  return [job.id, job.type.padEnd(14), job.status.padEnd(10), progress, job.created_at].join("  ");
}

export function jobsCommand() {
  return addConnectionOption(new Command("jobs").description("List jobs, newest first"))
    .addOption(
      new Option("--status <status>", "only jobs in this state").choices([
        "pending",
        "processing",
        "completed",
        "failed",
        "cancelled",
      ]),
    )
    .addOption(
      new Option("--type <type>", "only jobs of this type").choices([
        "video",
        "image",
        "batch_image",
        "image_transfer",
      ]),
    )
    .option("--limit <n>", "jobs per page (1..200)", integer)
    .option("--cursor <cursor>", "the page after the one that printed this cursor")
    .option("--json", "print the page as JSON")
    .action(async (options: JobsOptions) => {
      const { status, type, limit, cursor } = options;
      const page = await unwrap(
        connect(options).GET("/api/jobs", {
          params: { query: { status, type, limit, cursor } },
        }),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(page)}\n`);
        return;
      }
      for (const job of page.jobs) process.stdout.write(`${row(job)}\n`);
      if (page.next_cursor) process.stderr.write(`more: --cursor ${page.next_cursor}\n`);
    });
}
