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
  app.get("/api/queue", { schema }, (request) => jobs.queue(scope(request)));

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
  app.post("/api/queue/pause", { schema }, control(true));
  app.post("/api/queue/resume", { schema }, control(false));
  return Promise.resolve();
};
