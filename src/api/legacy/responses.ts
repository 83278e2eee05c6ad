// The 200 answers of the legacy routes, as FramePack-FastAPI gives them (docs/api.md
// §7). Like the /api ones (../responses.ts) they document and type-check; the app serializes
// with JSON.stringify, so they never change a byte on the wire.
import type { ReadStream } from "node:fs";
import { Type, type TSchema } from "typebox";
import { JobType } from "../../contract/requests.js";
import type { RouteAbout } from "../openapi.js";
import { Nullable } from "../responses.js";
import { LEGACY_SCHEMA } from "./options.js";

/** A route's OpenAPI description: the legacy tag and errors, its text, and this 200 answer. */
export function legacyAnswer<T extends TSchema>(answer: T, about: RouteAbout) {
  const described: T = { description: LEGACY_SCHEMA.response[200].description, ...answer };
  return { ...LEGACY_SCHEMA, ...about, response: { ...LEGACY_SCHEMA.response, 200: described } };
}

/** The path parameter of the routes about one job. */
export const LegacyJobId = Type.Object({
  job_id: Type.String({
    description: "The job's 8-hex legacy id, or the id of a job made through /api.",
  }),
});

const Message = Type.Object({ message: Type.String() });

export const LegacyAccepted = Type.Object({
  job_id: Type.String({ description: "8 hex digits." }),
  message: Type.String(),
});

const StatusText = Type.String({
  description: 'pending | processing | completed | cancelled | "failed - <reason>"',
});

/** GET /status/{id}, and each `progress` event of /stream/status/{id}. */
export const LegacyProgress = Type.Object({
  job_id: Type.String(),
  status: StatusText,
  progress: Type.Number({ minimum: 0, maximum: 100, description: "Percent of the whole run." }),
  progress_step: Type.Integer(),
  progress_total: Type.Integer(),
  progress_info: Type.String(),
});

export const LegacyResult = Type.Object({
  video_url: Type.String({ description: "Absolute URL of /download/video/{id}." }),
  thumbnail_base64: Nullable(Type.String({ description: "Data URI of the input image." })),
});

export const LegacyCancelled = Message;
export const LegacyCleanup = Message;

export const LegacyQueue = Type.Object({
  queue: Type.Array(
    Type.Object({
      job_id: Type.String(),
      status: StatusText,
      prompt: Type.String({ description: "The first 50 characters, then ..." }),
      video_length: Type.Number(),
      progress: Type.Number({ minimum: 0, maximum: 100 }),
      progress_info: Type.String(),
      job_type: JobType,
    }),
  ),
});

export const LegacyWorkerStatus = Type.Object({
  is_running: Type.Boolean(),
  processing_job_id: Nullable(Type.String()),
});

export const LegacyLoras = Type.Object({
  loras: Type.Array(Type.String(), { description: "Names inside the LoRA folder." }),
});

export const LegacyVideos = Type.Array(Type.String(), { description: '"<id>.mp4" file names.' });

const binary = { schema: { type: "string", format: "binary" } } as const;

/** A file answer: typed as whatever the handler sends, documented as its content type. */
export const legacyFile = (contentType: string, description: string) =>
  Type.Unsafe<ReadStream | Buffer>({ description, content: { [contentType]: binary } });
