// The routes of FramePack-FastAPI, wire-compatible (docs/api.md §7): multipart
// POST /generate, status, result, downloads, cancel, queue and worker views. Their jobs
// are ordinary video jobs in the shared queue, marked with an 8-hex legacy id.
import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import type { RoutesPlugin } from "../type-provider.js";
import { RequestError } from "../../contract/errors.js";
import { listLoras } from "../../jobs/loras.js";
import type { JobRecord } from "../../store/types.js";
import { installLegacyErrorHandler, LegacyHttpError, LegacyValidationError } from "./errors.js";
import { sendFile } from "./files.js";
import { readGenerateForm } from "./form.js";
import { inputImageJpeg, inputThumbnail, videoFileOf } from "./inputs.js";
import type { LegacyRoutesOptions } from "./options.js";
import {
  LegacyJobId,
  LegacyAccepted,
  legacyAnswer,
  LegacyCancelled,
  LegacyCleanup,
  legacyFile,
  LegacyLoras,
  LegacyProgress,
  LegacyQueue,
  LegacyResult,
  LegacyWorkerStatus,
} from "./responses.js";
import { legacyStreamRoutes } from "./streams.js";
import { legacyVideoRoutes } from "./videos.js";
import { allJobs, findJob, legacyProgress, legacyStatus, newLegacyId, queueEntry } from "./view.js";

/** Recent finished jobs GET /queue shows besides every pending and running one. */
const QUEUE_RECENT_FINISHED = 100;

const jobRoutes: RoutesPlugin<LegacyRoutesOptions> = (app, options) => {
  const { jobs, artifacts, submitter, scope } = options;

  // Another key's job is not found, exactly as a job that does not exist.
  const find = (id: string, request: FastifyRequest) => findJob(jobs, id, scope(request));
  const mustFind = async (id: string, request: FastifyRequest) => {
    const job = await find(id, request);
    if (!job) throw new LegacyHttpError(404, "Job not found");
    return job;
  };

  app.post(
    "/generate",
    {
      schema: legacyAnswer(LegacyAccepted, {
        summary: "Generate a video (multipart form)",
        description:
          "FramePack-FastAPI's form: the `image` file and `prompt`, `video_length`, `seed`, `use_teacache`, `gpu_memory_preservation`, `steps`, `cfg`, `gs`, `rs`, `mp4_crf`, `lora_scale`, `lora_path`, `sampling_mode` (plus optional `width`, `height`), with its defaults; the fields mean what they mean in POST /api/generate-video. Answers the 8-hex job id.",
      }),
    },
    async (request) => {
      if (!request.isMultipart()) {
        throw new LegacyValidationError([
          { type: "missing", loc: ["body", "image"], msg: "Field required", input: null },
        ]);
      }
      const upload = await readGenerateForm(request);
      const legacyId = await newLegacyId(jobs);
      await jobs.createVideo(upload.request, { ...submitter(request), legacyId }, upload.image);
      return { job_id: legacyId, message: "Video generation job added to queue." };
    },
  );

  app.get(
    "/status/:job_id",
    {
      schema: {
        params: LegacyJobId,
        ...legacyAnswer(LegacyProgress, {
          summary: "Job status",
          description: "Status, progress in percent of the whole run, step and phase text.",
        }),
      },
    },
    async (request) => legacyProgress(await mustFind(request.params.job_id, request)),
  );

  app.get(
    "/result/:job_id",
    {
      schema: {
        params: LegacyJobId,
        ...legacyAnswer(LegacyResult, {
          summary: "Job result",
          description: "A completed job's video URL and the input image's thumbnail; 404 before.",
        }),
      },
    },
    async (request) => {
      const id = request.params.job_id;
      const job = await find(id, request);
      if (job && job.status !== "completed") {
        throw new LegacyHttpError(
          404,
          `Job '${id}' is not completed yet (status: ${legacyStatus(job)}).`,
        );
      }
      if (!job || !(await videoFileOf(job, artifacts))) {
        throw new LegacyHttpError(404, `Job '${id}' not found or result file does not exist.`);
      }
      return {
        // Absolute, from the host the client used, as FastAPI's url_for builds it.
        video_url: `${request.protocol}://${request.host}/download/video/${encodeURIComponent(id)}`,
        thumbnail_base64: await inputThumbnail(job).catch(() => null),
      };
    },
  );

  app.get(
    "/download/video/:job_id",
    {
      schema: {
        params: LegacyJobId,
        ...legacyAnswer(legacyFile("video/mp4", "The video, with byte ranges."), {
          summary: "Download a job's video",
          description: "The MP4 of a completed video job; byte ranges are served.",
        }),
      },
    },
    async (request, reply) => {
      const id = request.params.job_id;
      const job = await find(id, request);
      const video = job && (await videoFileOf(job, artifacts));
      if (!video) {
        throw new LegacyHttpError(
          404,
          job
            ? `Video file for job '${id}' not found, status is '${legacyStatus(job)}'.`
            : `Video file for job '${id}' not found.`,
        );
      }
      const file = { path: video.path, contentType: "video/mp4", fileName: `${id}.mp4` };
      return sendFile(request, reply, file, video.size);
    },
  );

  app.get(
    "/input_image/:job_id",
    {
      schema: {
        params: LegacyJobId,
        ...legacyAnswer(legacyFile("image/jpeg", "The input image as a JPEG."), {
          summary: "Download a job's input image",
          description: "The start image the job was given, as a JPEG.",
        }),
      },
    },
    async (request, reply) => {
      const id = request.params.job_id;
      const job = await find(id, request);
      if (!job) {
        throw new LegacyHttpError(
          404,
          `Job '${id}' not found and input image file does not exist.`,
        );
      }
      const jpeg = await inputImageJpeg(job);
      if (!jpeg) {
        throw new LegacyHttpError(
          404,
          `Input image file not found for job '${id}' at expected paths.`,
        );
      }
      return reply
        .header("content-type", "image/jpeg")
        .header("content-disposition", `attachment; filename="input_${id}.jpg"`)
        .send(jpeg);
    },
  );

  app.post(
    "/cancel/:job_id",
    {
      schema: {
        params: LegacyJobId,
        ...legacyAnswer(LegacyCancelled, {
          summary: "Cancel a job",
          description: "Cancels a pending or running job; a finished job is no error.",
        }),
      },
    },
    async (request) => {
      const id = request.params.job_id;
      const job = await mustFind(id, request);
      if (job.status === "completed") return { message: "Job is already completed." };
      if (job.status === "failed" || job.status === "cancelled") {
        // The original answered a second cancel with a 500; a finished job is no error.
        return { message: `Job is already ${legacyStatus(job)}.` };
      }
      try {
        await jobs.cancel(job.id, scope(request));
      } catch (error) {
        if (!(error instanceof RequestError && error.status === 409)) throw error;
        const now = await mustFind(id, request);
        return now.status === "completed"
          ? { message: "Job completed before cancellation could be fully processed." }
          : { message: `Job is already ${legacyStatus(now)}.` };
      }
      return { message: `Cancellation requested for job ${id}.` };
    },
  );

  const queueSchema = legacyAnswer(LegacyQueue, {
    summary: "The queue",
    description: `Every pending and running job and the ${String(QUEUE_RECENT_FINISHED)} most recent finished ones, oldest first.`,
  });
  app.get("/queue", { schema: queueSchema }, async (request) => {
    const within = scope(request);
    const [pending, processing, recent] = await Promise.all([
      allJobs(jobs, { status: "pending" }, within),
      allJobs(jobs, { status: "processing" }, within),
      jobs.list({ limit: QUEUE_RECENT_FINISHED }, within),
    ]);
    const byId = new Map<string, JobRecord>();
    for (const job of [...pending, ...processing, ...recent.jobs]) byId.set(job.id, job);
    // Oldest first, as the original's queue file was kept.
    const queue = [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return { queue: queue.map(queueEntry) };
  });

  const workerSchema = legacyAnswer(LegacyWorkerStatus, {
    summary: "Worker status",
    description: "Whether an engine runs, and the caller's running job.",
  });
  app.get("/worker/status", { schema: workerSchema }, async (request) => {
    // The caller's own running job: another key's id is not shown.
    const running = await jobs.list({ status: "processing", limit: 1 }, scope(request));
    const job = running.jobs[0];
    return {
      is_running: options.workerRunning(),
      processing_job_id: job ? legacyProgress(job).job_id : null,
    };
  });

  const cleanupSchema = legacyAnswer(LegacyCleanup, {
    summary: "Clean up old jobs",
    description: "Runs the configured retention now (MAX_COMPLETED_JOBS, OUTPUT_MAX_AGE_HOURS).",
  });
  app.post("/cleanup_jobs", { schema: cleanupSchema }, async () => {
    // The configured retention (MAX_COMPLETED_JOBS, age) decides, as the original's setting did.
    const report = (await options.cleanupJobs?.()) ?? { removed: [] };
    return {
      message: `Cleanup process completed. Removed ${report.removed.length} old job entries.`,
    };
  });

  const lorasSchema = legacyAnswer(LegacyLoras, {
    summary: "List LoRAs",
    description: "The LoRA file names under LORA_DIR.",
  });
  app.get("/loras", { schema: lorasSchema }, async () => ({
    loras: await listLoras(options.loraDir),
  }));
  return Promise.resolve();
};

export const legacyRoutes: RoutesPlugin<LegacyRoutesOptions> = async (app, options) => {
  installLegacyErrorHandler(app);
  app.addHook("onRoute", options.paths.note);
  // Registered here, so multipart bodies are parsed on the legacy routes only.
  await app.register(multipart, {
    limits: { fileSize: options.maxUploadBytes, files: 4, fields: 64, fieldSize: 64 * 1024 },
  });
  await app.register(jobRoutes, options);
  await app.register(legacyStreamRoutes, options);
  await app.register(legacyVideoRoutes, options);
};
