// POST /api/generate-image | batch-images | transfer-image | generate-video: validate,
// create the job, answer 202 at once; the work happens in the background. With
// `Prefer: wait=N` the answer waits for the job up to N seconds (src/api/prefer-wait.ts);
// an Idempotency-Key header makes a repeated submission answer with the first one's job.
import type { RoutesPlugin } from "../type-provider.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type, type Static } from "typebox";
import type { JobScope, JobService, Submitter } from "../../jobs/service.js";
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
  /** Whose jobs a request may name (a video's `continue_from`); others' are not found. */
  scope: (request: FastifyRequest) => JobScope;
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
  const view = jobViewer(jobs, options.outputUrl);
  const tags = ["generate"];
  const response = { 202: Accepted, 200: FinishedJob, ...ERROR_RESPONSES };
  const answerText =
    "Answers 202 at once with the job's id and links; follow the job at `links.self` or `links.events`. With `Prefer: wait=N` (N <= 60) it answers 200 with the finished record when the job finishes within N seconds.";
  const headers = IdempotencyHeaders;
  // The submitter, with the request's Idempotency-Key when it has one.
  const submitter = (request: FastifyRequest<{ Headers: Static<typeof IdempotencyHeaders> }>) => {
    const key = request.headers["idempotency-key"];
    return {
      ...options.submitter(request),
      scope: options.scope(request),
      ...(key === undefined ? {} : { idempotencyKey: key }),
    };
  };

  /** 202 at once, or with `Prefer: wait=N` the finished record (200) if it finishes in time. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, job: JobRecord) => {
    // A repeated Idempotency-Key answers 200 with the job it made first (docs/api.md §11).
    if (jobs.isReplay(job)) return reply.status(200).send({ ...view(job), ...accepted(job) });
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
    {
      schema: {
        tags,
        headers,
        summary: "Generate one image",
        description: `One image by one-frame inference: from the prompt alone, or from \`input_image\` changed by the prompt. ${answerText}`,
        body: GenerateImageRequest,
        response,
      },
    },
    async (request, reply) =>
      answer(request, reply, await jobs.createImage(request.body, submitter(request))),
  );
  app.post(
    "/api/batch-images",
    {
      schema: {
        tags,
        headers,
        summary: "Generate a batch of images",
        description: `Several one-frame images as one job: one per prompt, \`count\` images of one prompt, or a RoPE sweep over \`target_indices\` or \`latent_window_sizes\`. Images are sampled \`batch_size\` at a time; the record's \`batch_progress\` follows each. ${answerText}`,
        body: BatchImagesRequest,
        response,
      },
    },
    async (request, reply) =>
      answer(request, reply, await jobs.createBatch(request.body, submitter(request))),
  );
  app.post(
    "/api/transfer-image",
    {
      schema: {
        tags,
        headers,
        summary: "Transfer a reference's look onto a picture (kisekaeichi)",
        description: `Redraws \`target_image\` with what \`source_image\` shows (clothes, colours), guided by the prompt; masks limit where. ${answerText}`,
        body: TransferImageRequest,
        response,
      },
    },
    async (request, reply) =>
      answer(request, reply, await jobs.createTransfer(request.body, submitter(request))),
  );
  app.post(
    "/api/generate-video",
    {
      schema: {
        tags,
        headers,
        summary: "Generate a video from a start image, or continue one",
        description: `A video of \`video_length\` seconds from \`image\`, section by section; optionally to an \`end_image\`, with prompts changing over time (\`section_prompts\`) and \`keyframes\`. With F1, \`continue_from\` (a completed video job) or \`continue_video\` (an MP4) adds \`video_length\` seconds to an earlier video instead. ${answerText}`,
        body: GenerateVideoRequest,
        response,
      },
    },
    async (request, reply) =>
      answer(request, reply, await jobs.createVideo(request.body, submitter(request))),
  );
  return Promise.resolve();
};
