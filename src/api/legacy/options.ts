// What the legacy route plugins are given, and the tag they share in the OpenAPI document.
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { ArtifactStore } from "../../artifacts/types.js";
import type { JobEventSource } from "../../jobs/events.js";
import type { JobScope, JobService, Submitter } from "../../jobs/service.js";
import type { RouteAbout } from "../openapi.js";
import type { LegacyPaths } from "./paths.js";

export interface LegacyRoutesOptions {
  jobs: JobService;
  events: JobEventSource;
  artifacts: ArtifactStore;
  loraDir: string;
  submitter: (request: FastifyRequest) => Submitter;
  /** Whose jobs a request may see and act on; others' are not found, as in /api. */
  scope: (request: FastifyRequest) => JobScope;
  /** Told each legacy route's path, so that refusals before routing take FastAPI's shape. */
  paths: LegacyPaths;
  /** Whether any engine is up: the original's "worker is running". */
  workerRunning: () => boolean;
  /** Largest image upload accepted by POST /generate. */
  maxUploadBytes: number;
  /** The retention pass POST /cleanup_jobs runs now; absent = nothing to clean. */
  cleanupJobs?: () => Promise<{ removed: readonly string[] }>;
  heartbeatMs?: number;
}

export const LEGACY_TAG = "legacy (FramePack-FastAPI)";
export const LEGACY_TAGS = [LEGACY_TAG];

/** FastAPI's error bodies: {"detail": "<text>"}, or the 422 list of bad fields. */
const LegacyError = Type.Object({
  detail: Type.Union([
    Type.String(),
    Type.Array(
      Type.Object({
        type: Type.String(),
        loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
        msg: Type.String(),
        input: Type.Unknown(),
        ctx: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
  ]),
});

/** The OpenAPI description every legacy route shares: FramePack-FastAPI's bodies, its errors. */
export const LEGACY_SCHEMA = {
  tags: LEGACY_TAGS,
  response: {
    200: { description: "As FramePack-FastAPI answers." },
    "4xx": Type.With(LegacyError, {
      description:
        'Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields.',
    }),
    "5xx": Type.With(LegacyError, { description: 'Failed: `{"detail": "<text>"}`.' }),
  },
};

/** The legacy event streams: FramePack-FastAPI's SSE, documented as such. */
export const legacyStreamSchema = (about: RouteAbout) => ({
  ...LEGACY_SCHEMA,
  ...about,
  response: {
    ...LEGACY_SCHEMA.response,
    200: {
      description: "Server-sent events, as FramePack-FastAPI sends them.",
      content: { "text/event-stream": { schema: {} } },
    },
  },
});
