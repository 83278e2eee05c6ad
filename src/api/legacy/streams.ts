// The legacy SSE routes. /stream/status/{id}: `event: progress` with the status body
// whenever it changes, then `event: status` {"status", "message": "Job finished."}.
// /video_stream: `data: <file name>` for each video once its job has completed, so
// the file is whole when announced (the original announced it when created).
import { EVENT_STREAM_HEARTBEAT_MS } from "../../contract/events.js";
import type { RoutesPlugin } from "../type-provider.js";
import type { JobRecord } from "../../store/types.js";
import { legacyStreamSchema, type LegacyRoutesOptions } from "./options.js";
import { LegacyJobId } from "./responses.js";
import { eventStreams, type EventStream } from "../sse.js";
import { inScope } from "../../jobs/service.js";
import { findJob, isLegacyTerminal, legacyProgress, videoFileName } from "./view.js";

function sendGone(stream: EventStream): void {
  stream.send(
    JSON.stringify({ status: "error", message: "Job not found or cleaned up." }),
    "status",
  );
  stream.end();
}

export const legacyStreamRoutes: RoutesPlugin<LegacyRoutesOptions> = (app, options) => {
  const { jobs, events, scope } = options;
  const heartbeatMs = options.heartbeatMs ?? EVENT_STREAM_HEARTBEAT_MS;
  const openTracked = eventStreams(app, heartbeatMs);

  app.get(
    "/stream/status/:job_id",
    {
      schema: {
        params: LegacyJobId,
        ...legacyStreamSchema({
          summary: "Follow a job's status",
          description:
            "Server-sent events: `progress` with the status body on each change, then `status` when the job ends.",
        }),
      },
    },
    async (request, reply) => {
      const within = scope(request);
      // Another key's job is answered as one that does not exist.
      const job = await findJob(jobs, request.params.job_id, within);
      const stream = openTracked(reply);
      // The original answers an unknown job inside the stream, with status 200.
      if (!job) {
        sendGone(stream);
        return;
      }

      let lastSent = "";
      let finished = false;
      const show = (current: JobRecord) => {
        const body = legacyProgress(current);
        const text = JSON.stringify(body);
        if (text !== lastSent) stream.send(text, "progress");
        lastSent = text;
        if (isLegacyTerminal(body.status)) {
          finished = true;
          stream.send(JSON.stringify({ status: body.status, message: "Job finished." }), "status");
          stream.end();
        }
      };
      // Reads are chained so events go out in the order the job changed.
      let reading = Promise.resolve();
      const refresh = () => {
        reading = reading
          .then(async () => {
            if (finished) return;
            const current = await jobs.get(job.id, within);
            if (current) {
              show(current);
            } else {
              finished = true;
              sendGone(stream);
            }
          })
          .catch((error: unknown) => {
            request.log.warn({ err: error }, "legacy status stream failed");
            stream.end();
          });
      };
      const unsubscribe = events.subscribe(job.id, (event) => {
        if (event.name === "status" || event.name === "progress" || event.name === "done") {
          refresh();
        }
      });
      stream.onClose(unsubscribe);
      refresh(); // after subscribing, so no change falls between the two
    },
  );

  const videoStreamSchema = legacyStreamSchema({
    summary: "Follow finished videos",
    description:
      "Server-sent events: a `data: <id>.mp4` line for each video once its file is complete.",
  });
  app.get("/video_stream", { schema: videoStreamSchema }, (request, reply) => {
    const within = scope(request);
    const stream = openTracked(reply);
    // Only the caller's own videos are announced.
    const unsubscribe = jobs.onFinished((job) => {
      if (job.type === "video" && job.status === "completed" && inScope(job, within)) {
        stream.send(videoFileName(job));
      }
    });
    stream.onClose(unsubscribe);
  });
  return Promise.resolve();
};
