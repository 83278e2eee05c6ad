// What a command shows while it follows a job: progress bars for a person (stderr), or
// JSON lines for a program (stdout). Both end with the output paths; a batch's failed
// items are named on stderr either way.
import type { JobStreamEvent, QueuedJob } from "../client/index.js";

/** An item of a batch, as the job record's batch_progress gives it. */
export type BatchItem = NonNullable<QueuedJob["batch_progress"]>["items"][number];

export interface JobReporter {
  submitted: (jobId: string) => void;
  event: (event: JobStreamEvent) => void;
  /** An item of a completed batch that failed (the others' outputs still come). */
  itemFailed: (jobId: string, item: BatchItem) => void;
  /** The files written, after the job completed. */
  outputs: (jobId: string, paths: readonly string[]) => void;
  /** Ends any live display (also on failure). */
  stop: () => void;
}

/** A line for the person at the terminal. */
export function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function sayItemFailed(item: BatchItem): void {
  say(`item ${item.index} failed: ${item.error ?? "no reason given"}`);
}

function line(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * One JSON object a line: {"event":"submitted"}, each SSE event, {"event":"item_failed"}
 * for each failed batch item, {"event":"outputs"}.
 */
export function jsonLinesReporter(): JobReporter {
  return {
    submitted: (jobId) => {
      line({ event: "submitted", job_id: jobId });
    },
    event: (event) => {
      line(event);
    },
    itemFailed: (jobId, item) => {
      sayItemFailed(item);
      const { index, prompt, seed, error } = item;
      line({ event: "item_failed", job_id: jobId, index, prompt, seed, error });
    },
    outputs: (jobId, paths) => {
      line({ event: "outputs", job_id: jobId, paths });
    },
    stop: () => undefined,
  };
}
