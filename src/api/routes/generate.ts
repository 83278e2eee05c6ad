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
  const answer =
    "Answers 202 at once with the job's id and links; follow the job at `links.self` or `links.events`.";
  app.post(
    "/api/generate-image",
    {
      schema: {
        tags,
        summary: "Generate one image",
        description: `One image by one-frame inference: from the prompt alone, or from \`input_image\` changed by the prompt. ${answer}`,
        body: GenerateImageRequest,
        response,
      },
    },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createImage(request.body, submitter(request)))),
  );
  app.post(
    "/api/batch-images",
    {
      schema: {
        tags,
        summary: "Generate a batch of images",
        description: `Several one-frame images as one job: one per prompt, \`count\` images of one prompt, or a RoPE sweep over \`target_indices\` or \`latent_window_sizes\`. Images are sampled \`batch_size\` at a time; the record's \`batch_progress\` follows each. ${answer}`,
        body: BatchImagesRequest,
        response,
      },
    },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createBatch(request.body, submitter(request)))),
  );
  app.post(
    "/api/transfer-image",
    {
      schema: {
        tags,
        summary: "Transfer a reference's look onto a picture (kisekaeichi)",
        description: `Redraws \`target_image\` with what \`source_image\` shows (clothes, colours), guided by the prompt; masks limit where. ${answer}`,
        body: TransferImageRequest,
        response,
      },
    },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createTransfer(request.body, submitter(request)))),
  );
  app.post(
    "/api/generate-video",
    {
      schema: {
        tags,
        summary: "Generate a video from a start image",
        description: `A video of \`video_length\` seconds from \`image\`, section by section; optionally to an \`end_image\`, with prompts changing over time (\`section_prompts\`) and \`keyframes\`. ${answer}`,
        body: GenerateVideoRequest,
        response,
      },
    },
    async (request, reply) =>
      reply.status(202).send(accepted(await jobs.createVideo(request.body, submitter(request)))),
  );
  return Promise.resolve();
};
