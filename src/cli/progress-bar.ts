// Live progress on stderr with cli-progress: one bar over the job's sampling steps, with
// the phase, the video section or batch share, an ETA once it means something, and the
// engine's own words (progress-bar-state.ts decides what; this file draws it).
import cliProgress from "cli-progress";
import type { QueuedJob } from "../client/index.js";
import { ProgressBarState, type ProgressData } from "./progress-bar-state.js";
import { say, sayItemFailed, type JobReporter } from "./reporter.js";

const FORMAT = "{phase} |{bar}|{steps}{section}{batch}{timeLeft} | {info}";

/**
 * How long a job must stay pending before "waiting in the queue" is said: a stream's
 * replay announces pending and then processing at once for a job that already started.
 */
const QUEUE_NOTICE_MS = 400;

/**
 * The seeds a completed job drew at random, as a line (null when the request chose
 * them): the only place a person learns how to make the same picture again.
 */
export function randomSeedLine(job: QueuedJob): string | null {
  // A record from another server may lack fields.
  const data = (job.data as { seed?: unknown; seeds?: unknown } | undefined) ?? {};
  const seeds = job.result?.seeds ?? [];
  if (seeds.length === 0) return null;
  if (job.type === "batch_image") {
    if (Array.isArray(data.seeds)) return null;
    const shown = seeds.slice(0, 16).join(", ");
    return `random seeds: ${shown}${seeds.length > 16 ? ", …" : ""}`;
  }
  if (data.seed !== undefined && data.seed !== -1) return null;
  return `random seed: ${seeds[0]} (--seed ${seeds[0]} makes it again)`;
}

export function progressBarReporter(options: { batch: boolean }): JobReporter {
  const state = new ProgressBarState(options);
  let bar: cliProgress.SingleBar | undefined;

  /** Set while "waiting in the queue" is due; `waited` once it was said. */
  let queueNotice: NodeJS.Timeout | undefined;
  let waited = false;
  const started = (): void => {
    clearTimeout(queueNotice);
    queueNotice = undefined;
    if (waited) say("started");
    waited = false;
  };

  const stop = (): void => {
    clearTimeout(queueNotice);
    queueNotice = undefined;
    bar?.stop(); // shows the cursor again
    bar = undefined;
  };

  const show = (data: ProgressData): void => {
    const view = state.update(data, Date.now());
    if (view.restart) stop();
    if (!bar) {
      bar = new cliProgress.SingleBar(
        // emptyOnZero: before the first step the total is 0, which would draw a full bar.
        { format: FORMAT, stream: process.stderr, hideCursor: true, emptyOnZero: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(view.total, view.value, view.texts);
    } else {
      bar.setTotal(view.total);
      bar.update(view.value, view.texts);
    }
  };

  return {
    submitted: (jobId) => {
      say(`job ${jobId} submitted`);
    },
    event: (event) => {
      if (event.event === "progress") {
        started();
        show(event.data);
      } else if (event.event === "status" && event.data.status === "pending") {
        // Back in the queue: the next run starts from its first step again.
        stop();
        state.reset();
        if (event.data.retry) say(`retrying: ${event.data.retry.message}`);
        // Said only while the job still waits: not for one whose start comes right after.
        queueNotice = setTimeout(() => {
          queueNotice = undefined;
          waited = true;
          say("waiting in the queue");
        }, QUEUE_NOTICE_MS);
      } else if (event.event === "status") {
        started();
      } else if (event.event === "done" && event.data.status === "completed") {
        stop();
        const seeds = randomSeedLine(event.data);
        if (seeds) say(seeds);
      }
    },
    itemFailed: (_jobId, item) => {
      stop();
      sayItemFailed(item);
    },
    outputs: (_jobId, paths) => {
      for (const path of paths) process.stdout.write(`${path}\n`);
    },
    stop,
  };
}
