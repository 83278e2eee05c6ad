// Taking back jobs whose agent stopped renewing their lease (it died, was cut off or
// paused): requeued with their attempts counted, or failed once they are used up. Every
// agent and replica calls this on its timer; the store lets one process at a time do it.
import type { Logger } from "pino";
import type { JobEventPublisher } from "../jobs/events.js";
import type { LeasedJobStore } from "../store/leases.js";
import type { RecoveryReport } from "../store/types.js";

export async function reapExpiredLeases(
  store: LeasedJobStore,
  events: JobEventPublisher,
  maxAttempts: number,
  logger: Logger,
): Promise<RecoveryReport> {
  const reaped = await store.reapExpired(maxAttempts);
  if (reaped.requeued.length === 0 && reaped.failed.length === 0) return reaped;
  logger.warn(reaped, "took back jobs whose agent stopped renewing their lease");
  for (const jobId of reaped.requeued) events.publish(jobId, "status", { status: "pending" });
  for (const jobId of reaped.failed) {
    events.publish(jobId, "status", { status: "failed" });
    events.publish(jobId, "done", { status: "failed" });
  }
  return reaped;
}
