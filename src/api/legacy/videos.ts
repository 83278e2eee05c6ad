// The legacy video folder: GET /videos lists every finished video as "<id>.mp4" and
// GET /videos/{filename} serves one; the files stay in the artifact store.
import { Type } from "typebox";
import { LIMITS } from "../../contract/requests.js";
import type { RoutesPlugin } from "../type-provider.js";
import { LegacyHttpError } from "./errors.js";
import { sendFile } from "./files.js";
import { videoFileOf } from "./inputs.js";
import type { LegacyRoutesOptions } from "./options.js";
import { legacyAnswer, legacyFile, LegacyVideos } from "./responses.js";
import { allJobs, findJob, jobIdOfVideoFile, videoFileName } from "./view.js";

/** The router refuses a longer parameter (414) before any route runs: the document says so. */
const VideoFileName = Type.Object({
  filename: Type.String({
    minLength: 1,
    maxLength: LIMITS.pathParamLength,
    description: 'A name GET /videos lists, "<id>.mp4".',
  }),
});

export const legacyVideoRoutes: RoutesPlugin<LegacyRoutesOptions> = (app, options) => {
  const { jobs, artifacts, scope } = options;

  const listSchema = legacyAnswer(LegacyVideos, {
    summary: "List videos",
    description: 'Every finished video the caller may see, as "<id>.mp4".',
  });
  app.get("/videos", { schema: listSchema }, async (request) => {
    const finished = await allJobs(jobs, { status: "completed", type: "video" }, scope(request));
    const names: string[] = [];
    for (const job of finished) {
      if (await videoFileOf(job, artifacts)) names.push(videoFileName(job));
    }
    return names.sort();
  });

  app.get(
    "/videos/:filename",
    {
      schema: {
        params: VideoFileName,
        ...legacyAnswer(legacyFile("video/mp4", "The video, with byte ranges."), {
          summary: "Download a video",
          description: "One video of GET /videos by its file name; byte ranges are served.",
        }),
      },
    },
    async (request, reply) => {
      const { filename } = request.params;
      if (filename.includes("..") || filename.startsWith("/")) {
        throw new LegacyHttpError(400, "Invalid filename.");
      }
      const id = jobIdOfVideoFile(filename);
      const job = id === undefined ? undefined : await findJob(jobs, id, scope(request));
      const video = job && (await videoFileOf(job, artifacts));
      if (!job || !video || job.type !== "video") {
        throw new LegacyHttpError(404, "Video file not found");
      }
      const file = { path: video.path, contentType: "video/mp4", fileName: filename };
      return sendFile(request, reply, file, video.size);
    },
  );
  return Promise.resolve();
};
