// POST /api/generate-image | batch-images | transfer-image | generate-video: validate,
// create the job, answer 202 at once; the work happens in the background. With
// `Prefer: wait=N` the answer waits for the job up to N seconds (src/api/prefer-wait.ts).
import type { RoutesPlugin } from "../type-provider.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { JobService, Submitter } from "../../jobs/service.js";
import type { JobRecord } from "../../store/types.js";
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  TransferImageRequest,
} from "../../contract/requests.js";
import { jobViewer } from "../job-view.js";
import { preferredWaitSeconds } from "../prefer-wait.js";
import { Accepted, ERROR_RESPONSES, FinishedJob } from "../responses.js";

export interface GenerateRoutesOptions {
  jobs: JobService;
  submitter: (request: FastifyRequest) => Submitter;
  /** URL of an artifact key, for the finished record a `Prefer: wait` answer carries. */
  outputUrl: (key: string) => string;
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
  const view = jobViewer(jobs, options.outputUrl);
  const tags = ["generate"];
  const response = { 202: Accepted, 200: FinishedJob, ...ERROR_RESPONSES };

  /** 202 at once, or with `Prefer: wait=N` the finished record (200) if it finishes in time. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, job: JobRecord) => {
    const waitS = preferredWaitSeconds(request.headers.prefer);
    if (waitS === undefined) return reply.status(202).send(accepted(job));
    void reply.header("preference-applied", `wait=${String(waitS)}`);
    const finished = await jobs.waitUntilFinished(job.id, waitS * 1000);
    return finished
      ? reply.status(200).send({ ...view(finished), ...accepted(finished) })
      : reply.status(202).send(accepted((await jobs.get(job.id)) ?? job));
  };

  app.post(
    "/api/generate-image",
    { schema: { tags, body: GenerateImageRequest, response } },
    async (request, reply) =>
      answer(request, reply, await jobs.createImage(request.body, submitter(request))),
  );
  app.post(
    "/api/batch-images",
    { schema: { tags, body: BatchImagesRequest, response } },
    async (request, reply) =>
      answer(request, reply, await jobs.createBatch(request.body, submitter(request))),
  );
  app.post(
    "/api/transfer-image",
    { schema: { tags, body: TransferImageRequest, response } },
    async (request, reply) =>
      answer(request, reply, await jobs.createTransfer(request.body, submitter(request))),
  );
  app.post(
    "/api/generate-video",
    { schema: { tags, body: GenerateVideoRequest, response } },
    async (request, reply) =>
      answer(request, reply, await jobs.createVideo(request.body, submitter(request))),
  );
  return Promise.resolve();
};
