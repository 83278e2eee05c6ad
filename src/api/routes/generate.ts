// POST /api/generate-image | batch-images | transfer-image | generate-video: validate,
// create the job, answer 202 at once; the work happens in the background.
import type { RoutesPlugin } from "../type-provider.js";
import type { FastifyRequest } from "fastify";
import type { JobService, Submitter } from "../../jobs/service.js";
import type { JobRecord } from "../../store/types.js";
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  TransferImageRequest,
} from "../../contract/requests.js";
import { Accepted, ERROR_RESPONSES } from "../responses.js";

export interface GenerateRoutesOptions {
  jobs: JobService;
  submitter: (request: FastifyRequest) => Submitter;
}

export function accepted(job: JobRecord) {
  const self = `/api/jobs/${job.id}`;
  return {
    job_id: job.id,
    status: job.status,
    links: { self, events: `${self}/events`, cancel: `${self}/cancel` },
  };
}

export const generateRoutes: RoutesPlugin<GenerateRoutesOptions> = (app, options) => {
  const { jobs, submitter } = options;
  const tags = ["generate"];
  const response = { 202: Accepted, ...ERROR_RESPONSES };
  app.post(
    "/api/generate-image",
    { schema: { tags, body: GenerateImageRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createImage(request.body, submitter(request)))),
  );
  app.post(
    "/api/batch-images",
    { schema: { tags, body: BatchImagesRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createBatch(request.body, submitter(request)))),
  );
  app.post(
    "/api/transfer-image",
    { schema: { tags, body: TransferImageRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createTransfer(request.body, submitter(request)))),
  );
  app.post(
    "/api/generate-video",
    { schema: { tags, body: GenerateVideoRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createVideo(request.body, submitter(request)))),
  );
  return Promise.resolve();
};
