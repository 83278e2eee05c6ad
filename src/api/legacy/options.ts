// What the legacy route plugins are given, and the tag they share in the OpenAPI document.
import type { FastifyRequest } from "fastify";
import type { ArtifactStore } from "../../artifacts/types.js";
import type { JobEventHub } from "../../jobs/events.js";
import type { JobService, Submitter } from "../../jobs/service.js";

export interface LegacyRoutesOptions {
  jobs: JobService;
  events: JobEventHub;
  artifacts: ArtifactStore;
  loraDir: string;
  submitter: (request: FastifyRequest) => Submitter;
  /** Whether any engine is up: the original's "worker is running". */
  workerRunning: () => boolean;
  /** Largest image upload accepted by POST /generate. */
  maxUploadBytes: number;
  /** The retention pass POST /cleanup_jobs runs now; absent = nothing to clean. */
  cleanupJobs?: () => Promise<{ removed: readonly string[] }>;
  heartbeatMs?: number;
}

export const LEGACY_TAGS = ["legacy (FramePack-FastAPI)"];
