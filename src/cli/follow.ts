// Following a job to its end: events to the reporter, then the outputs downloaded, or
// a CliError with the job's own reason when it failed or was cancelled.
import type { FramePackClient, QueuedJob } from "../client/index.js";
import { CliError } from "./errors.js";
import { downloadOutputs } from "./outputs.js";
import type { JobReporter } from "./reporter.js";

export interface FollowTarget {
  client: FramePackClient;
  reporter: JobReporter;
  /** Where to write the outputs; undefined = leave them on the server. */
  out: string | undefined;
}

async function finalRecord(target: FollowTarget, jobId: string): Promise<QueuedJob> {
  try {
    for await (const event of target.client.events(jobId)) {
      target.reporter.event(event);
      if (event.event === "done") return event.data;
    }
  } finally {
    target.reporter.stop();
  }
  throw new CliError(`the event stream of job ${jobId} ended before the job did`);
}

export async function followJob(target: FollowTarget, jobId: string): Promise<QueuedJob> {
  const job = await finalRecord(target, jobId);
  if (job.status !== "completed") {
    const reason = job.error ? `: ${job.error.message}` : "";
    throw new CliError(`job ${jobId} ${job.status}${reason}`);
  }
  if (target.out !== undefined) {
    target.reporter.outputs(jobId, await downloadOutputs(target.client, job, target.out));
  }
  return job;
}
