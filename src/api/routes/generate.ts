// POST /api/generate-image | batch-images | transfer-image | generate-video: validate,
// create the job, answer 202 at once; the work happens in the background. An
// Idempotency-Key header makes a repeated submission answer with the first one's job.
import type { RoutesPlugin } from "../type-provider.js";
import type { FastifyRequest } from "fastify";
import { Type, type Static } from "typebox";
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

/** The Idempotency-Key header (docs/api.md §6), documented and checked with the body. */
const IdempotencyHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: "^[\\x21-\\x7e]+$",
      description:
        "Sent again with the same body within 24 h (by the same API key), the request answers with the job the first one made instead of a new one; with a different body, 422 idempotency_key_reused.",
    }),
  ),
});

export const generateRoutes: RoutesPlugin<GenerateRoutesOptions> = (app, options) => {
  const { jobs } = options;
  const tags = ["generate"];
  const response = { 202: Accepted, ...ERROR_RESPONSES };
  const headers = IdempotencyHeaders;
  // The submitter, with the request's Idempotency-Key when it has one.
  const submitter = (request: FastifyRequest<{ Headers: Static<typeof IdempotencyHeaders> }>) => {
    const key = request.headers["idempotency-key"];
    return { ...options.submitter(request), ...(key === undefined ? {} : { idempotencyKey: key }) };
  };
  app.post(
    "/api/generate-image",
    { schema: { tags, headers, body: GenerateImageRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createImage(request.body, submitter(request)))),
  );
  app.post(
    "/api/batch-images",
    { schema: { tags, headers, body: BatchImagesRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createBatch(request.body, submitter(request)))),
  );
  app.post(
    "/api/transfer-image",
    { schema: { tags, headers, body: TransferImageRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createTransfer(request.body, submitter(request)))),
  );
  app.post(
    "/api/generate-video",
    { schema: { tags, headers, body: GenerateVideoRequest, response } },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createVideo(request.body, submitter(request)))),
  );
  return Promise.resolve();
};
