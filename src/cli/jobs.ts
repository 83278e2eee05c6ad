// `framepack jobs`: the job list, newest first (GET /api/jobs), as a table (short ids,
// which watch and cancel take, status, type, when, prompt) or JSON; filtered by status,
// type, creation time and prompt text as the API's list is.
import { Command, Option } from "commander";
import { unwrap, type JobListQuery, type QueuedJob } from "../client/index.js";
import { addConnectionOption, connect, type ConnectionOptions } from "./connection.js";
import { integer } from "./values.js";

interface JobsOptions extends ConnectionOptions, Omit<JobListQuery, "q"> {
  /** The API's `q`. */
  search?: string;
  json?: boolean;
}

const PROMPT_WIDTH = 48;

/** The prompt of a job (a batch's first, and how many more), cut to the table's width. */
function promptOf(job: QueuedJob): string {
  const { prompt, prompts } = job.data as { prompt?: unknown; prompts?: unknown };
  const list = Array.isArray(prompts) ? prompts.map(String) : [];
  const first = typeof prompt === "string" ? prompt : (list[0] ?? "");
  const more = list.length > 1 ? ` (+${list.length - 1})` : "";
  const oneLine = first.replace(/\s+/g, " ").trim();
  const room = PROMPT_WIDTH - more.length;
  const characters = Array.from(oneLine);
  const cut = characters.length > room ? `${characters.slice(0, room - 1).join("")}…` : oneLine;
  return `${cut}${more}`;
}

/** pending #2, processing 40%, or the status alone. */
function statusOf(job: QueuedJob): string {
  if (job.status === "pending" && job.queue_position !== null) {
    return `pending #${job.queue_position + 1}`;
  }
  if (job.status === "processing") return `processing ${Math.round(job.progress * 100)}%`;
  return job.status;
}

/** "2025-01-01 12:00" in local time. */
function when(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** The page as a table: short id (what watch and cancel take), status, type, when, prompt. */
export function jobsTable(jobs: readonly QueuedJob[]): string {
  const rows = [
    ["ID", "STATUS", "TYPE", "CREATED", "PROMPT"],
    ...jobs.map((job) => [
      job.id.slice(0, 8),
      statusOf(job),
      job.type,
      when(job.created_at),
      promptOf(job),
    ]),
  ];
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...rows.map((cells) => (cells[column] ?? "").length)),
  );
  return rows
    .map((cells) =>
      cells
        .map((cell, column) => (column < 4 ? cell.padEnd(widths[column] ?? 0) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** What an empty page means: no jobs at all, none that match, or no more. */
function emptyMessage(options: JobsOptions): string {
  if (options.cursor) return "no more jobs";
  const filters = [
    options.status ? `--status ${options.status}` : "",
    options.type ? `--type ${options.type}` : "",
    options.since ? `--since ${options.since}` : "",
    options.until ? `--until ${options.until}` : "",
    options.search ? `--search ${JSON.stringify(options.search)}` : "",
  ].filter(Boolean);
  if (filters.length) return `no jobs match ${filters.join(" ")}`;
  return 'no jobs yet: submit one with `framepack image -p "a lighthouse at dusk"`';
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
    .option("--since <time>", "only jobs created at or after this date or ISO time")
    .option("--until <time>", "only jobs created before this date or ISO time")
    .option("--search <text>", "only jobs whose prompt contains this text")
    .option("--limit <n>", "jobs per page (1..200)", integer)
    .option("--cursor <cursor>", "the page after the one that printed this cursor")
    .option("--json", "print the page as JSON")
    .action(async (options: JobsOptions) => {
      const { status, type, since, until, search: q, limit, cursor } = options;
      const page = await unwrap(
        connect(options).GET("/api/jobs", {
          params: { query: { status, type, since, until, q, limit, cursor } },
        }),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(page)}\n`);
        return;
      }
      if (page.jobs.length === 0) {
        process.stderr.write(`${emptyMessage(options)}\n`);
        return;
      }
      process.stdout.write(`${jobsTable(page.jobs)}\n`);
      if (page.next_cursor) process.stderr.write(`more: --cursor ${page.next_cursor}\n`);
    });
}
