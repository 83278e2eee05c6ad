// One job, live: its record, then its event stream until `done` (the same events and
// merging as the job list's, use-jobs.ts); a lost stream or an unreachable server is
// retried after a pause, reading the record again first.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { isTerminal, type Job } from "../api/types";
import { applyEvent, follow, REFRESH_MS } from "./use-jobs";

interface FollowedJob {
  job: Job | undefined;
  error: Error | undefined;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function useJob(id: string | undefined): FollowedJob {
  const [state, setState] = useState<FollowedJob & { id?: string }>({
    job: undefined,
    error: undefined,
  });
  useEffect(() => {
    if (id === undefined) return;
    const controller = new AbortController();
    const { signal } = controller;
    // A function, not the property: the loop's awaits may abort it between two reads.
    const stopped = () => signal.aborted;
    const run = async () => {
      while (!stopped()) {
        try {
          const record = await api.job(id, signal);
          if (stopped()) return;
          setState({ id, job: record, error: undefined });
          if (isTerminal(record.status)) return;
          await follow(id, signal, (event) => {
            setState((old) => (old.job ? { ...old, job: applyEvent(old.job, event) } : old));
          });
        } catch (error) {
          if (stopped()) return;
          setState((old) => ({ ...old, id, error: error as Error }));
        }
        await pause(REFRESH_MS, signal);
      }
    };
    void run();
    return () => {
      controller.abort();
    };
  }, [id]);
  // Another job's record is not shown while the new one loads.
  return state.id === id ? state : { job: undefined, error: undefined };
}
