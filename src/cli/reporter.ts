// What a command shows while it follows a job: progress bars for a person (stderr), or
// JSON lines for a program (stdout). Both end with the output paths.
import type { JobStreamEvent } from "../client/index.js";

export interface JobReporter {
  submitted: (jobId: string) => void;
  event: (event: JobStreamEvent) => void;
  /** The files written, after the job completed. */
  outputs: (jobId: string, paths: readonly string[]) => void;
  /** Ends any live display (also on failure). */
  stop: () => void;
}

/** A line for the person at the terminal. */
export function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

function line(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** One JSON object a line: {"event":"submitted"}, each SSE event, {"event":"outputs"}. */
export function jsonLinesReporter(): JobReporter {
  return {
    submitted: (jobId) => {
      line({ event: "submitted", job_id: jobId });
    },
    event: (event) => {
      line(event);
    },
    outputs: (jobId, paths) => {
      line({ event: "outputs", job_id: jobId, paths });
    },
    stop: () => undefined,
  };
}
