// The JSON columns of a job row, read back into their types once, where the row is
// read: every backend stores the same JSON, so they share these.
import type { RecordedRequest } from "../contract/requests.js";
import { JOB_PLAN_KINDS, type JobPlan } from "../engine/protocol.js";

/** Parses a JSON column; the types are the ones its writer stored. */
export function fromJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * A job's plan column. Written by the job service from a typed plan; its kind is checked
 * here (a plan the engine cannot take would otherwise fail later and far from its cause),
 * and the engine validates the whole plan against the protocol schema when it runs it.
 */
export function parsePlan(text: string): JobPlan {
  const plan = JSON.parse(text) as Partial<JobPlan> | null;
  if (typeof plan !== "object" || plan === null || !JOB_PLAN_KINDS.includes(plan.kind as never)) {
    throw new Error(`a stored plan has no known kind: ${text.slice(0, 60)}`);
  }
  return plan as JobPlan;
}

/** A job's data column: the request as recorded, written from a typed request. */
export function parseRecordedRequest(text: string): RecordedRequest {
  return JSON.parse(text) as RecordedRequest;
}
