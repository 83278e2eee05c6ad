// GET /api/jobs/{id}/webhooks: the delivery log of a job's webhook (docs/api.md §6):
// each message, its state, and every attempt with its status code and time.
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { JobIdParams } from "../../contract/requests.js";
import { notFound, type JobScope, type JobService } from "../../jobs/service.js";
import { WebhookDelivery, type DeliveryLogEntry } from "../../contract/webhook-log.js";
import { ERROR_RESPONSES } from "../responses.js";
import type { RoutesPlugin } from "../type-provider.js";

export interface WebhookRoutesOptions {
  jobs: JobService;
  scope: (request: FastifyRequest) => JobScope;
  log: (jobId: string) => Promise<DeliveryLogEntry[]>;
}

const WebhookLog = Type.Object(
  { job_id: Type.String(), deliveries: Type.Array(WebhookDelivery) },
  { description: "The job's webhook messages, oldest first, with every delivery attempt." },
);

export const webhookRoutes: RoutesPlugin<WebhookRoutesOptions> = (app, options) => {
  const { jobs, scope, log } = options;
  app.get(
    "/api/jobs/:id/webhooks",
    {
      schema: {
        tags: ["jobs"],
        summary: "A job's webhook deliveries",
        description:
          "Each webhook message of the job (docs/api.md §11): its event, URL (without query), status and every attempt with its status code and time.",
        params: JobIdParams,
        response: { 200: WebhookLog, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const job = await jobs.find(request.params.id, scope(request));
      if (!job) throw notFound(request.params.id);
      return { job_id: job.id, deliveries: await log(job.id) };
    },
  );
  return Promise.resolve();
};
