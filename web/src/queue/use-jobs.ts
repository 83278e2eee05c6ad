// A live job list: the list endpoint for what exists (asked again a few seconds after each
// answer, and whenever `version` changes), and each running job's SSE stream for its
// progress and previews between answers.
import { useEffect, useRef, useState } from "preact/hooks";
import { JobListQuery } from "../../../src/contract/requests";
import { api } from "../api/client";
import { schemaRange } from "../api/schema";
import type { Job, JobEvent, JobFilter, JobStatus } from "../api/types";
import { furthestOf, mergeAnswer } from "./job-order";

/** Pause between an answer and the next request: a slow answer is waited for, not dropped. */
export const REFRESH_MS = 2000;
/** The API's largest page: running and waiting jobs are listed whole, whatever their age. */
const ACTIVE_LIMIT = schemaRange(JobListQuery.properties.limit).max;
const ACTIVE_STATUSES: readonly JobStatus[] = ["processing", "pending"];
/** Streams held open at once: a browser allows only six connections per origin. */
const MAX_STREAMS = 3;

/** A job's record with one of its live events applied (use-job.ts follows one job so too). */
export function applyEvent(job: Job, event: JobEvent): Job {
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
export async function follow(id: string, signal: AbortSignal, update: (event: JobEvent) => void) {
  try {
    for await (const event of api.events(id, signal)) update(event);
  } catch {
    // Aborted, refused or given up: the list refresh still shows how the job stands.
  }
}

interface JobList {
  jobs: Job[] | undefined;
  error: Error | undefined;
  refresh: () => void;
  /** Shows the next page of older jobs; undefined when none is left. */
  loadMore: (() => void) | undefined;
}

interface Listing {
  jobs: Job[];
  hasMore: boolean;
}

/**
 * The first `pages` pages of the list (pages of the API's default size, each after the one
 * before, by cursor) and, for a live list not filtered by status, every running and waiting
 * job: those stay in view however many newer jobs push them off the first pages.
 */
async function loadListing(
  filter: JobFilter,
  pages: number,
  live: boolean,
  signal: AbortSignal,
): Promise<Listing> {
  const walk = async (): Promise<Listing> => {
    const jobs: Job[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < pages; page++) {
      const answer = await api.jobs(filter, { cursor }, signal);
      jobs.push(...answer.jobs);
      if (answer.next_cursor === null) return { jobs, hasMore: false };
      cursor = answer.next_cursor;
    }
    return { jobs, hasMore: true };
  };
  const statuses = live && filter.status === undefined ? ACTIVE_STATUSES : [];
  const [listed, ...active] = await Promise.all([
    walk(),
    ...statuses.map((status) => api.jobs({ ...filter, status }, { limit: ACTIVE_LIMIT }, signal)),
  ]);
  // Two answers may hold one job in different states (it moved between the requests).
  const jobs = furthestOf([...listed.jobs, ...active.flatMap((answer) => answer.jobs)]);
  // Newest first, as the list pages are (a stable sort keeps their order among equals).
  jobs.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  return { jobs, hasMore: listed.hasMore };
}

export function useJobs(filter: JobFilter, options: { live: boolean; version: number }): JobList {
  const [jobs, setJobs] = useState<Job[]>();
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  // The filter's values, not its object: a caller may pass a new but equal one each render.
  const { status, type, since, until, q } = filter;
  // Pages shown, for the filter they were loaded under (another filter starts at one).
  const filterKey = JSON.stringify([status, type, since, until, q]);
  const [shownPages, setShownPages] = useState({ filterKey, pages: 1 });
  const pages = shownPages.filterKey === filterKey ? shownPages.pages : 1;
  const streams = useRef(new Map<string, AbortController>());
  /** When each job last changed by a live event (performance.now()). */
  const lastEvent = useRef(new Map<string, number>());
  const refresh = () => {
    setTick((value) => value + 1);
  };

  useEffect(() => {
    const controller = new AbortController();
    const sentAt = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = () => {
      timer = setTimeout(refresh, REFRESH_MS);
    };
    loadListing({ status, type, since, until, q }, pages, options.live, controller.signal).then(
      (listing) => {
        if (controller.signal.aborted) return;
        setError(undefined);
        setHasMore(listing.hasMore);
        const eventSince = (id: string) => (lastEvent.current.get(id) ?? -Infinity) > sentAt;
        setJobs((shown) => mergeAnswer(shown, listing.jobs, eventSince));
        next();
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason as Error);
        next();
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [status, type, since, until, q, pages, options.live, options.version, tick]);

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
        lastEvent.current.set(id, performance.now());
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
  const loadMore = () => {
    setShownPages({ filterKey, pages: pages + 1 });
  };
  return { jobs, error, refresh, loadMore: hasMore ? loadMore : undefined };
}
