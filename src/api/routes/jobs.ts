// Jobs: list, read, cancel, and follow live over SSE (resumable with Last-Event-ID).
import type { FastifyRequest } from "fastify";
import type { RoutesPlugin } from "../type-provider.js";
import { RequestError } from "../../contract/errors.js";
import { EVENT_STREAM_HEARTBEAT_MS } from "../../contract/events.js";
import {
  followJobEvents,
  type FollowedJob,
  type JobEvent,
  type JobEventSource,
} from "../../jobs/events.js";
import { notFound, type JobScope, type JobService, type Submitter } from "../../jobs/service.js";
import {
  JobChangeRequest,
  JobIdParams,
  JobListQuery,
  RetryRequest,
  TERMINAL_STATUSES,
} from "../../contract/requests.js";
import { jobViewer } from "../job-view.js";
import {
  Accepted,
  ERROR_RESPONSES,
  JobEventStream,
  JobPage,
  NoContent,
  QueuedJob,
} from "../responses.js";
import { accepted } from "./generate.js";
import { eventStreams } from "../sse.js";

export interface JobRoutesOptions {
  jobs: JobService;
  events: JobEventSource;
  outputUrl: (key: string) => string;
  /** Whose jobs a request may see and act on; others' are not found. */
  scope: (request: FastifyRequest) => JobScope;
  /** Who a retry is submitted by (fairness, queue limits, tenancy). */
  submitter: (request: FastifyRequest) => Submitter;
  heartbeatMs?: number;
}

/**
 * A query's point in time as the store writes its times (UTC, milliseconds), so that
 * they compare as text. The schema checked the shape; a date that does not exist
 * (2026-02-30) is refused here, naming the field.
 */
function instant(field: string, text: string): string {
  const day = text.slice(0, 10);
  const time = new Date(text);
  // Date rolls 2026-02-30 over into March: the day must come back as written.
  const midnight = new Date(`${day}T00:00:00Z`);
  const dayExists =
    !Number.isNaN(midnight.getTime()) && midnight.toISOString().slice(0, 10) === day;
  if (Number.isNaN(time.getTime()) || !dayExists) {
    throw new RequestError("validation_failed", `Invalid request: check ${field}.`, [
      { field, message: "is not a time that exists" },
    ]);
  }
  return time.toISOString();
}

const JobId = JobIdParams;

export const jobRoutes: RoutesPlugin<JobRoutesOptions> = (app, options) => {
  const { jobs, events, outputUrl, scope, submitter } = options;
  const openStream = eventStreams(app, options.heartbeatMs ?? EVENT_STREAM_HEARTBEAT_MS);
  const tags = ["jobs"];

  const view = jobViewer(jobs, outputUrl);

  // By id or its start (at least 8 hex digits). Another key's job is not found, exactly
  // as a job that does not exist.
  const load = async (id: string, request: FastifyRequest) => {
    const job = await jobs.find(id, scope(request));
    if (!job) throw notFound(id);
    return job;
  };

  const list = {
    tags,
    summary: "List jobs",
    description:
      "Newest first, a page at a time: pass `next_cursor` as `cursor` for the next page. With API keys, the key's own jobs.",
    querystring: JobListQuery,
    response: { 200: JobPage, ...ERROR_RESPONSES },
  };
  app.get("/api/jobs", { schema: list }, async (request) => {
    const { status, type, since, until, q, cursor, limit } = request.query;
    const page = await jobs
      .list(
        {
          ...(status ? { status } : {}),
          ...(type ? { type } : {}),
          ...(since ? { since: instant("since", since) } : {}),
          ...(until ? { until: instant("until", until) } : {}),
          ...(q ? { promptContains: q } : {}),
          ...(cursor ? { cursor } : {}),
          limit,
        },
        scope(request),
      )
      .catch((error: unknown) => {
        if (error instanceof Error && error.name === "InvalidCursorError") {
          throw new RequestError("invalid_cursor", "The cursor is not one this server gave.", [
            { field: "cursor", message: "unknown cursor" },
          ]);
        }
        throw error;
      });
    return { jobs: page.jobs.map(view), next_cursor: page.nextCursor };
  });

  const oneJob = { tags, params: JobId, response: { 200: QueuedJob, ...ERROR_RESPONSES } };
  const read = {
    ...oneJob,
    summary: "Read a job",
    description:
      "The job's record: status, progress, the latest preview and, once completed, its result with the output URLs.",
  };
  app.get("/api/jobs/:id", { schema: read }, async (request) =>
    view(await load(request.params.id, request)),
  );

  const cancel = {
    ...oneJob,
    summary: "Cancel a job",
    description:
      "A pending job leaves the queue at once; a running one stops at its next sampler step. A finished job answers 409 `job_finished`. Answers the record.",
  };
  app.post("/api/jobs/:id/cancel", { schema: cancel }, async (request) =>
    view(await jobs.cancel(request.params.id, scope(request))),
  );

  // Queue control (docs/api.md §6): reorder a pending job, submit a finished one again,
  // delete a finished one.
  const change = {
    ...oneJob,
    summary: "Change a pending job's priority",
    description:
      "Moves a pending job in the queue: every queue position follows, and so does the order engines take jobs in. A job that has started or finished answers 409 `job_not_pending`. Answers the record.",
    body: JobChangeRequest,
  };
  app.patch("/api/jobs/:id", { schema: change }, async (request) =>
    view(await jobs.setPriority(request.params.id, request.body.priority, scope(request))),
  );

  const retry = {
    tags,
    summary: "Submit a finished job again",
    description:
      "A completed, failed or cancelled job's request as a new job, with the pictures it stored and its seeds (or new ones with `new_seed`). A pending or running job answers 409 `job_not_finished`. Answers 202 with the new job.",
    params: JobId,
    body: RetryRequest,
    response: { 202: Accepted, ...ERROR_RESPONSES },
  };
  // The body is optional: none means the defaults. A JSON `null` is a body, and not an
  // object, so it stays to be refused by the schema.
  const emptyBodyIsDefaults = (request: FastifyRequest) => {
    if (request.body === undefined) request.body = {};
    return Promise.resolve();
  };
  app.post(
    "/api/jobs/:id/retry",
    { schema: retry, preValidation: emptyBodyIsDefaults },
    async (request, reply) => {
      const { id } = request.params;
      const job = await jobs.retry(id, submitter(request), request.body.new_seed, scope(request));
      return reply.status(202).send(accepted(job));
    },
  );

  const remove = {
    tags,
    summary: "Delete a finished job",
    description:
      "Removes a finished job's files, then its record (204). A pending or running job answers 409 `job_not_finished`: cancel it first.",
    params: JobId,
    response: { 204: NoContent, ...ERROR_RESPONSES },
  };
  app.delete("/api/jobs/:id", { schema: remove }, async (request, reply) => {
    await jobs.delete(request.params.id, scope(request));
    return reply.status(204).send(null);
  });

  const eventsSchema = {
    tags,
    summary: "Follow a job live",
    description:
      "Server-sent events: `status`, `progress`, `preview`, `item` (batches), then `done` with the record. Send `Last-Event-ID` to resume after a dropped connection.",
    params: JobId,
    response: { 200: JobEventStream, ...ERROR_RESPONSES },
  };
  app.get("/api/jobs/:id/events", { schema: eventsSchema }, async (request, reply) => {
    const job = await load(request.params.id, request);
    // An id this service never handed out (from the future, 1e309, garbage) counts as none.
    const lastEventId = await events.resumeAfter(Number(request.headers["last-event-id"] ?? 0));
    const stream = openStream(reply);
    const sent = { ended: false }; // an object: set in callbacks, read after an await
    const end = () => {
      sent.ended = true;
      stream.end();
    };
    const send = async (event: JobEvent): Promise<void> => {
      if (sent.ended) return;
      const data = event.name === "done" ? view(await load(job.id, request)) : event.data;
      stream.send(JSON.stringify(data), event.name, event.id);
      if (event.name === "done") end();
    };
    const failed = (error: unknown) => {
      // The job vanished (retention) or the store closed: end the stream, not the process.
      request.log.warn({ err: error, job: job.id }, "job event stream failed");
      end();
    };
    let chain = Promise.resolve();
    const enqueue = (event: JobEvent) => {
      chain = chain.then(() => send(event)).catch(failed);
    };
    let followed: FollowedJob;
    try {
      followed = await followJobEvents(events, job.id, lastEventId, enqueue);
    } catch (error) {
      failed(error);
      return;
    }
    stream.onClose(followed.unsubscribe);
    await chain;
    if (!sent.ended && TERMINAL_STATUSES.includes(job.status) && followed.backlog === 0) {
      // Finished before this server's memory of it (e.g. a restart): the record says it all.
      stream.send(JSON.stringify(view(job)), "done", lastEventId + 1);
      end();
    }
  });
  return Promise.resolve();
};
