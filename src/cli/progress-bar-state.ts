// What the progress bar shows, apart from drawing it (so it can be tested without a
// terminal). The engine counts sampling steps over the whole run (a video's sections,
// a batch run's micro-batches: frames.py's step_reporter), so one bar follows them from
// the first step to the last; the other phases (loading, decoding between sections,
// saving) change only its text. A new bar starts when the steps start again: a batch's
// next run, or a retry. The ETA shows once steps have been timed.
import type { JobStreamEvent } from "../client/index.js";

export type ProgressData = Extract<JobStreamEvent, { event: "progress" }>["data"];

/**
 * The texts the bar's format puts around the bar (each empty or starting with a space).
 * Not "eta": cli-progress fills that name with its own estimate, which would win.
 */
export interface BarTexts {
  phase: string;
  steps: string;
  section: string;
  batch: string;
  timeLeft: string;
  info: string;
}

export interface BarView {
  /** The steps started again: end the bar, draw a new one. */
  restart: boolean;
  value: number;
  total: number;
  texts: BarTexts;
}

interface Run {
  step: number;
  total: number;
  /** The first step seen and when: the ETA's base. */
  firstStep: number;
  firstAt: number;
}

/** "section 2 of 5" in the engine's phase text -> " section 2/5". */
function section(info: string): string {
  const match = /section (\d+) of (\d+)/i.exec(info);
  return match ? ` section ${match[1]}/${match[2]}` : "";
}

/** 42s, 3m05s, 1h02m */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const two = (value: number) => String(value).padStart(2, "0");
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${two(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h${two(minutes % 60)}m`;
}

export class ProgressBarState {
  #run: Run | undefined;

  constructor(private readonly options: { batch: boolean }) {}

  /** The job went back to the queue (a retry): its next run starts a new bar. */
  reset(): void {
    this.#run = undefined;
  }

  update(data: ProgressData, now: number): BarView {
    const phase = data.phase ?? "working";
    const before = this.#run;
    const restart = phase === "sampling" && before !== undefined && data.step < before.step;
    if (phase === "sampling") {
      this.#run =
        before && !restart
          ? { ...before, step: data.step, total: data.total }
          : { step: data.step, total: data.total, firstStep: data.step, firstAt: now };
    }
    const run = this.#run;
    return {
      restart,
      value: run?.step ?? 0,
      total: run?.total ?? 0,
      texts: {
        phase,
        steps: run && run.total > 0 ? ` ${run.step}/${run.total}` : "",
        section: section(data.info),
        batch: this.options.batch ? ` | batch ${Math.round(data.progress * 100)}%` : "",
        timeLeft: run ? this.#timeLeft(run, now) : "",
        info: data.info,
      },
    };
  }

  /** " | ETA 1m05s" from the pace since the run's first step; empty until there is one. */
  #timeLeft(run: Run, now: number): string {
    const timed = run.step - run.firstStep;
    if (timed <= 0 || run.step >= run.total) return "";
    const msPerStep = (now - run.firstAt) / timed;
    return ` | ETA ${formatDuration(msPerStep * (run.total - run.step))}`;
  }
}
