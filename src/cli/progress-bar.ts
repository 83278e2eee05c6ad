// Live progress on stderr with cli-progress: one bar over the job's sampling steps, with
// the phase, the video section or batch share, an ETA once it means something, and the
// engine's own words (progress-bar-state.ts decides what; this file draws it).
import cliProgress from "cli-progress";
import { ProgressBarState, type ProgressData } from "./progress-bar-state.js";
import { say, sayItemFailed, type JobReporter } from "./reporter.js";

const FORMAT = "{phase} |{bar}|{steps}{section}{batch}{timeLeft} | {info}";

export function progressBarReporter(options: { batch: boolean }): JobReporter {
  const state = new ProgressBarState(options);
  let bar: cliProgress.SingleBar | undefined;

  const stop = (): void => {
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
      if (event.event === "progress") show(event.data);
      else if (event.event === "status" && event.data.status === "pending") {
        // Back in the queue: the next run starts from its first step again.
        stop();
        state.reset();
        say(event.data.retry ? `retrying: ${event.data.retry.message}` : "waiting in the queue");
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
