// The JSON columns of a job row, read back into their types once, where the row is
// read: every backend stores the same JSON, so they share these. A column that does
// not parse, or holds the wrong kind of value, makes the row unreadable; the store sets
// such a row aside rather than let it fail every query that meets it.
import type { RecordedRequest } from "../contract/requests.js";
import { JOB_PLAN_KINDS, type JobPlan } from "../engine/protocol.js";
import type { BatchItemState, JobError, JobProgress, JobResult } from "./types.js";

/** A stored column that cannot be read back as what its writer stored. */
export class UnreadableColumnError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`the column ${field} cannot be read: ${problem}`);
    this.name = "UnreadableColumnError";
  }
}

export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

type Shape = "object" | "array";

/** Parses a JSON column and checks the kind of its top-level value. */
function parseColumn(field: string, text: string, shape: Shape): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UnreadableColumnError(field, (error as Error).message);
  }
  const found = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  if (found !== shape) throw new UnreadableColumnError(field, `holds ${found}, not ${shape}`);
  return value;
}

/** A column that may be NULL; its types are the ones its writer stored. */
function parseNullable(field: string, text: string | null, shape: Shape): unknown {
  return text === null ? null : parseColumn(field, text, shape);
}

/**
 * A job's plan column. Written by the job service from a typed plan; its kind is checked
 * here (a plan the engine cannot take would otherwise fail later and far from its cause),
 * and the engine validates the whole plan against the protocol schema when it runs it.
 */
export function parsePlan(text: string): JobPlan {
  const plan = parseColumn("plan", text, "object") as Partial<JobPlan>;
  if (!JOB_PLAN_KINDS.includes(plan.kind as never)) {
    throw new UnreadableColumnError("plan", `no known kind: ${text.slice(0, 60)}`);
  }
  upgradeStoredPlan(plan);
  return plan as JobPlan;
}

/**
 * A plan stored by an earlier version, in today's shape, so that a job queued before an
 * upgrade still runs after it: a video's `use_teacache`/`teacache_threshold` became `cache`.
 */
function upgradeStoredPlan(plan: Record<string, unknown>): void {
  if (plan.kind !== "video" || "cache" in plan) return;
  plan.cache = plan.use_teacache === false ? "none" : "teacache";
  delete plan.use_teacache;
  delete plan.teacache_threshold;
}

/** A job's data column: the request as recorded, written from a typed request. */
export function parseRecordedRequest(text: string): RecordedRequest {
  return parseColumn("data", text, "object") as RecordedRequest;
}

export function parseProgress(text: string): JobProgress {
  return parseColumn("progress", text, "object") as JobProgress;
}

export function parseBatchItems(text: string | null): BatchItemState[] | null {
  return parseNullable("batch_items", text, "array") as BatchItemState[] | null;
}

export function parseError(text: string | null): JobError | null {
  return parseNullable("error", text, "object") as JobError | null;
}

export function parseResult(text: string | null): JobResult | null {
  return parseNullable("result", text, "object") as JobResult | null;
}
