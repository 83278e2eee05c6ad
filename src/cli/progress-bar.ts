// Live progress on stderr with cli-progress: one bar per phase (and per video section),
// showing phase, step/total, ETA and, for videos, the section being made.
import cliProgress from "cli-progress";
import type { JobStreamEvent } from "../client/index.js";
import type { JobReporter } from "./reporter.js";

type ProgressData = Extract<JobStreamEvent, { event: "progress" }>["data"];

const FORMAT = "{phase} |{bar}| {value}/{total}{section}{batch} | ETA {eta_formatted} | {info}";

/** "section 2 of 5" in the engine's phase text -> " section 2/5". */
function section(info: string): string {
  const match = /section (\d+) of (\d+)/i.exec(info);
  return match ? ` section ${match[1]}/${match[2]}` : "";
}

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function progressBarReporter(options: { batch: boolean }): JobReporter {
  let bar: cliProgress.SingleBar | undefined;
  let shown = { key: "", step: 0 };

  const show = (data: ProgressData): void => {
    const payload = {
      phase: data.phase ?? "working",
      section: section(data.info),
      batch: options.batch ? ` | batch ${Math.round(data.progress * 100)}%` : "",
      info: data.info,
    };
    const key = `${payload.phase}${payload.section}`;
    // A new phase or section (or a new micro-batch: the step went back) gets a new bar,
    // so its ETA is not skewed by the last one's.
    if (!bar || key !== shown.key || data.step < shown.step) {
      bar?.update(bar.getTotal()); // the phase before this one has ended
      bar?.stop();
      bar = new cliProgress.SingleBar(
        { format: FORMAT, stream: process.stderr, hideCursor: true, etaBuffer: 20 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(data.total, data.step, payload);
    } else if (data.step === shown.step) {
      bar.update(payload); // new text only: a repeated value would upset the ETA
    } else {
      bar.setTotal(data.total);
      bar.update(data.step, payload);
    }
    shown = { key, step: data.step };
  };

  return {
    submitted: (jobId) => {
      say(`job ${jobId} submitted`);
    },
    event: (event) => {
      if (event.event === "progress") show(event.data);
      else if (event.event === "status" && event.data.status === "pending") {
        say(event.data.retry ? `retrying: ${event.data.retry.message}` : "waiting in the queue");
      }
    },
    outputs: (_jobId, paths) => {
      for (const path of paths) process.stdout.write(`${path}\n`);
    },
    stop: () => {
      bar?.stop();
      bar = undefined;
    },
  };
}
