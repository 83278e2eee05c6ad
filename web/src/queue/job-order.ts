// Which record of a job is the newer one, when the list and the live events disagree.
// A list answer can be older than an event that arrived while it was on its way (a job
// seen running again after its stream said done); a job must not go back because of it.
import { isTerminal, type Job } from "../api/types";

/** Waiting, then running, then finished: the order every run goes through. */
function stage(job: Job): number {
  if (isTerminal(job.status)) return 2;
  return job.status === "processing" ? 1 : 0;
}

/**
 * Whether `candidate` is an earlier state than `shown`. Within a run, the overall progress
 * decides (not the step, which starts again with each batch pass and video section).
 */
function isBehind(candidate: Job, shown: Job): boolean {
  const difference = stage(candidate) - stage(shown);
  if (difference !== 0) return difference < 0;
  return candidate.status === "processing" && candidate.progress < shown.progress;
}

/** The furthest record of each job among several answers, in first-seen order. */
export function furthestOf(answers: readonly Job[]): Job[] {
  const byId = new Map<string, Job>();
  for (const job of answers) {
    const seen = byId.get(job.id);
    if (!seen || !isBehind(job, seen)) byId.set(job.id, job);
  }
  return [...byId.values()];
}

/**
 * The list as an answer has it, but a job keeps what is shown of it when the answer is
 * behind that and a live event came after the request went out (so the answer may predate
 * it). Without such an event, the answer is the newest word, even a step back (a run that
 * failed and waits for its retry).
 */
export function mergeAnswer(
  shown: readonly Job[] | undefined,
  answer: readonly Job[],
  eventSince: (id: string) => boolean,
): Job[] {
  const current = new Map(shown?.map((job) => [job.id, job]));
  return answer.map((job) => {
    const live = current.get(job.id);
    return live && eventSince(job.id) && isBehind(job, live) ? live : job;
  });
}
