// A live job list: the list endpoint for what exists (refreshed every few seconds and
// whenever `version` changes), and each running job's SSE stream for its progress and
// previews between refreshes.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api/client";
import type { Job, JobEvent, JobFilter } from "../api/types";

const REFRESH_MS = 2000;
/** Streams held open at once: a browser allows only six connections per origin. */
const MAX_STREAMS = 3;

function applyEvent(job: Job, event: JobEvent): Job {
  switch (event.event) {
    case "status": {
      const { status } = event.data;
      return { ...job, status, ...(status === "processing" ? { queue_position: null } : {}) };
    }
    case "progress":
      return { ...job, ...event.data };
    case "preview":
      return { ...job, preview: event.data.preview };
    case "done":
      return event.data;
    default:
      // item: a batch's counts come with the next list refresh.
      return job;
  }
}

/** Applies a job's events until `done`, the abort, a refusal, or too many reconnects. */
async function follow(id: string, signal: AbortSignal, update: (event: JobEvent) => void) {
  try {
    for await (const event of api.events(id, signal)) update(event);
  } catch {
    // Aborted, refused or given up: the list refresh still shows how the job stands.
  }
}

export interface JobList {
  jobs: Job[] | undefined;
  error: Error | undefined;
  refresh: () => void;
}

export function useJobs(filter: JobFilter, options: { live: boolean; version: number }): JobList {
  const [jobs, setJobs] = useState<Job[]>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const streams = useRef(new Map<string, AbortController>());
  const refresh = () => {
    setTick((value) => value + 1);
  };

  useEffect(() => {
    let current = true;
    api.jobs(filter).then(
      (page) => {
        if (!current) return;
        setError(undefined);
        // Keep what a stream has newer than the list (the list is polled, events are live).
        setJobs((old) =>
          page.jobs.map((job) => {
            const live = old?.find((item) => item.id === job.id);
            return live && streams.current.has(job.id) && live.step > job.step ? live : job;
          }),
        );
      },
      (reason: unknown) => {
        if (current) setError(reason as Error);
      },
    );
    const timer = setTimeout(refresh, REFRESH_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [filter.status, filter.type, options.version, tick]);

  // Follow running jobs (then the pending ones next in line) over SSE.
  useEffect(() => {
    if (!options.live) return;
    const open = streams.current;
    const wanted = (jobs ?? [])
      .filter((job) => job.status === "processing" || job.status === "pending")
      .sort((a, b) => (a.status === "processing" ? -1 : 0) - (b.status === "processing" ? -1 : 0))
      .slice(0, MAX_STREAMS)
      .map((job) => job.id);
    for (const [id, controller] of open) {
      if (!wanted.includes(id)) {
        controller.abort();
        open.delete(id);
      }
    }
    for (const id of wanted) {
      if (open.has(id)) continue;
      const controller = new AbortController();
      open.set(id, controller);
      const update = (event: JobEvent) => {
        setJobs((list) => list?.map((job) => (job.id === id ? applyEvent(job, event) : job)));
      };
      void follow(id, controller.signal, update).finally(() => {
        if (open.get(id) === controller) open.delete(id);
      });
    }
  }, [jobs, options.live]);

  // Close every stream when the list goes away.
  useEffect(
    () => () => {
      for (const controller of streams.current.values()) controller.abort();
      streams.current.clear();
    },
    [],
  );
  return { jobs, error, refresh };
}
