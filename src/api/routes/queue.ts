// The queue as a whole (docs/api.md §6): its state, and pausing and resuming it. Paused,
// nothing new starts while running jobs finish and submissions are still accepted; the
// state is kept in the job store, so it survives a restart. Pausing stops every key's
// work, so with API keys configured only an admin key may (a tenant key gets 403).
import type { FastifyRequest } from "fastify";
import { RequestError } from "../../contract/errors.js";
import type { JobScope, JobService } from "../../jobs/service.js";
import type { RoutesPlugin } from "../type-provider.js";
import { ERROR_RESPONSES, QueueState } from "../responses.js";

export interface QueueRoutesOptions {
  jobs: JobService;
  /** "all" for an admin key or a service without keys: those may pause. */
  scope: (request: FastifyRequest) => JobScope;
}

export const queueRoutes: RoutesPlugin<QueueRoutesOptions> = (app, { jobs, scope }) => {
  const schema = { tags: ["queue"], response: { 200: QueueState, ...ERROR_RESPONSES } };
  const state = {
    ...schema,
    summary: "The queue's state",
    description: "Paused or not, the number of pending jobs and the ids of running ones.",
  };
  app.get("/api/queue", { schema: state }, (request) => jobs.queue(scope(request)));

  const control = (paused: boolean) => async (request: FastifyRequest) => {
    const requestScope = scope(request);
    if (requestScope !== "all") {
      throw new RequestError(
        "admin_only",
        `Only an admin key may ${paused ? "pause" : "resume"} the queue.`,
      );
    }
    await jobs.setPaused(paused);
    return jobs.queue(requestScope);
  };
  const pause = {
    ...schema,
    summary: "Pause the queue",
    description:
      "No job starts until resumed; running jobs finish and submissions are still accepted. Kept across restarts. With API keys, admin keys only (403 `admin_only`). Answers the queue.",
  };
  const resume = {
    ...schema,
    summary: "Resume the queue",
    description: "Jobs start again. Answers the queue.",
  };
  app.post("/api/queue/pause", { schema: pause }, control(true));
  app.post("/api/queue/resume", { schema: resume }, control(false));
  return Promise.resolve();
};
