// Following a job to its end: events to the reporter, then the outputs downloaded, or
// a CliError with the job's own reason when it failed or was cancelled. A batch the
// server calls completed may still have failed items: they are named, the others'
// outputs downloaded, and the command fails.
import { EventStreamLostError, type FramePackClient, type QueuedJob } from "../client/index.js";
import { serverFlag, shellWord } from "./connection.js";
import { CliError, describeFailure } from "./errors.js";
import { interruptible } from "./interrupt.js";
import { downloadOutputs, removeUnfinishedDownloads } from "./outputs.js";
import type { JobReporter } from "./reporter.js";

export interface FollowTarget {
  client: FramePackClient;
  reporter: JobReporter;
  /** Where to write the outputs; undefined = leave them on the server. */
  out: string | undefined;
  /** The --server the command was given, for the `framepack watch` it suggests. */
  server?: string;
}

/** The command that picks the job up again, with the --server and --out of this one. */
function watchCommand(target: FollowTarget, jobId: string, out = target.out): string {
  const outFlag = out === undefined ? "" : ` --out ${shellWord(out)}`;
  return `framepack watch ${shellWord(jobId)}${serverFlag(target.server)}${outFlag}`;
}

async function finalRecord(target: FollowTarget, jobId: string): Promise<QueuedJob> {
  try {
    for await (const event of target.client.events(jobId)) {
      target.reporter.event(event);
      if (event.event === "done") return event.data;
    }
  } catch (error) {
    if (!(error instanceof EventStreamLostError)) throw error;
    throw new CliError(
      `${error.message}; the job continues on the server: \`${watchCommand(target, jobId)}\` continues following it`,
      jobId,
    );
  } finally {
    target.reporter.stop();
  }
  throw new CliError(`the event stream of job ${jobId} ended before the job did`, jobId);
}

async function download(target: FollowTarget, job: QueuedJob, jobId: string, out: string) {
  const { saved, failed } = await downloadOutputs(target.client, job, jobId, out);
  target.reporter.outputs(jobId, saved);
  if (failed.length === 0) return;
  const reasons = failed.map(({ url, error }) => `\n  ${url}: ${describeFailure(error)}`);
  const total = saved.length + failed.length;
  throw new CliError(
    `${failed.length} of ${total} outputs of job ${jobId} could not be downloaded (the ${saved.length} saved are listed on stdout):${reasons.join("")}`,
    jobId,
  );
}

async function follow(target: FollowTarget, jobId: string): Promise<QueuedJob> {
  const job = await finalRecord(target, jobId);
  if (job.status !== "completed") {
    const reason = job.error ? `: ${job.error.message}` : "";
    throw new CliError(`job ${jobId} ${job.status}${reason}`, jobId);
  }
  const batch = job.batch_progress;
  const failedItems = batch?.items.filter((item) => item.status === "failed") ?? [];
  for (const item of failedItems) target.reporter.itemFailed(jobId, item);
  if (target.out !== undefined) await download(target, job, jobId, target.out);
  const failed = Math.max(batch?.failed ?? 0, failedItems.length);
  if (batch && failed > 0) {
    throw new CliError(`${failed} of ${batch.total} items of job ${jobId} failed`, jobId);
  }
  return job;
}

export function followJob(target: FollowTarget, jobId: string): Promise<QueuedJob> {
  const cleanUp = () => {
    target.reporter.stop();
    removeUnfinishedDownloads();
  };
  const again = watchCommand(target, jobId, target.out ?? "DIR");
  return interruptible(jobId, again, cleanUp, () => follow(target, jobId));
}
