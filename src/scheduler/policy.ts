// How a queue entry is scored: the higher the score, the sooner it runs. Every term is in
// "points"; aging turns waiting time into points, which is what bounds starvation.
import type { JobType } from "../contract/requests.js";
import type { EngineLoadout, QueueEntry } from "./types.js";

export interface SchedulerPolicy {
  /** Points per job type; higher runs first. */
  typeClass: Record<JobType, number>;
  /** Points per unit of the request's `priority`. */
  requestPriorityWeight: number;
  /** |priority| beyond this counts as this much, so the starvation bound holds for any request. */
  maxRequestPriority: number;
  /** Points an entry gains per second it waits. Must be > 0: it is what ends starvation. */
  agingPerSecond: number;
  /**
   * Points for fitting what the asking engine has loaded: half for the same transformer,
   * all of it for the same transformer and LoRA set (a LoRA switch is cheap, a transformer one is not).
   */
  affinityBonus: number;
  /** Points taken per other entry of the same API key (queued, or dispatched within the window). */
  fairShareWeight: number;
  /** Cap on the fair-share penalty; keeps it inside the starvation bound. */
  maxFairSharePenalty: number;
  /** How long a dispatched entry still counts against its key (the dispatcher is not told when work ends). */
  fairShareWindowSeconds: number;
  /**
   * How often one running job may be asked to yield its engine at a section boundary
   * (videos, FRAMEPACK_PREEMPT=sections): a stream of higher-class work costs a video at most
   * this many turns, on top of the score rule (see mayPreempt), whatever arrives.
   */
  maxYieldsPerJob: number;
}

/**
 * Defaults: images ahead of long videos, batches in between. One priority unit is worth 3
 * points, so priority +10 lifts a video (10 + 30) above a default image (30). A video gains
 * 1 point per 10 s, so it overtakes a stream of fresh default images after 200 s. Affinity
 * is worth at most 50 s of waiting; fair share at most 200 s. The resulting starvation bound
 * is 1050 s (see starvationBoundSeconds), 450 s between entries of default priority.
 */
export const DEFAULT_POLICY: SchedulerPolicy = {
  typeClass: { image: 30, image_transfer: 30, batch_image: 20, video: 10 },
  requestPriorityWeight: 3,
  maxRequestPriority: 10,
  agingPerSecond: 0.1,
  affinityBonus: 5,
  fairShareWeight: 2,
  maxFairSharePenalty: 20,
  fairShareWindowSeconds: 300,
  maxYieldsPerJob: 3,
};

export interface ScoreContext {
  /** Milliseconds since the epoch. */
  now: number;
  /** What the asking engine has loaded; null for none (a fresh engine, or a queue position). */
  loadout: EngineLoadout | null;
  /** Other entries of the entry's API key: still queued, or dispatched within the fair-share window. */
  keyLoad: number;
}

export function score(entry: QueueEntry, context: ScoreContext, policy: SchedulerPolicy): number {
  return (
    policy.typeClass[entry.type] +
    requestPriorityPoints(entry.priority, policy) +
    agingPoints(entry.enqueuedAt, context.now, policy) +
    affinityPoints(entry.affinity, context.loadout, policy) -
    fairSharePenalty(context.keyLoad, policy)
  );
}

function requestPriorityPoints(priority: number, policy: SchedulerPolicy): number {
  const limit = policy.maxRequestPriority;
  return Math.min(limit, Math.max(-limit, priority)) * policy.requestPriorityWeight;
}

function agingPoints(enqueuedAt: number, now: number, policy: SchedulerPolicy): number {
  // A clock step backwards must not make an entry younger than new.
  return (Math.max(0, now - enqueuedAt) / 1000) * policy.agingPerSecond;
}

function affinityPoints(
  wanted: EngineLoadout,
  loaded: EngineLoadout | null,
  policy: SchedulerPolicy,
): number {
  if (loaded?.transformer !== wanted.transformer) return 0;
  return wanted.loras === loaded.loras ? policy.affinityBonus : policy.affinityBonus / 2;
}

function fairSharePenalty(keyLoad: number, policy: SchedulerPolicy): number {
  return Math.min(policy.maxFairSharePenalty, keyLoad * policy.fairShareWeight);
}

/**
 * Starvation bound: no entry is ever dispatched ahead of one that arrived more than this many
 * seconds before it, whatever its type, priority, affinity or key; so an entry waits at most for
 * what was queued before it and what arrives within this window after it. Why: apart from aging,
 * two scores differ by at most the class gap + the priority gap + the affinity bonus + the
 * fair-share cap, and aging closes that gap at agingPerSecond.
 */
export function starvationBoundSeconds(policy: SchedulerPolicy): number {
  const classes = Object.values(policy.typeClass);
  const maxClassGap = Math.max(...classes) - Math.min(...classes);
  const maxPriorityGap = 2 * policy.maxRequestPriority * policy.requestPriorityWeight;
  const maxGap = maxClassGap + maxPriorityGap + policy.affinityBonus + policy.maxFairSharePenalty;
  return maxGap / policy.agingPerSecond;
}

/**
 * Whether a waiting entry may take the engine of a running one at its next section boundary:
 * only work of a higher type class, only while the running job has yields left, and only when
 * the waiter's score (aging included) beats the running job's as if it were still queued with
 * its original arrival time. So a yield never dispatches an entry ahead of one that a queue
 * would not have put it ahead of, and starvationBoundSeconds holds for yielded jobs too: no
 * job is preempted by work that arrived more than that long after it.
 */
export function mayPreempt(
  waiting: { entry: QueueEntry; score: number },
  running: { entry: QueueEntry; score: number; yields: number },
  policy: SchedulerPolicy,
): boolean {
  if (running.yields >= policy.maxYieldsPerJob) return false;
  if (policy.typeClass[waiting.entry.type] <= policy.typeClass[running.entry.type]) return false;
  return waiting.score > running.score;
}

/** Throws a RangeError naming the first field that would break the ordering or its bound. */
export function assertValidPolicy(policy: SchedulerPolicy): void {
  const nonNegative = [
    "requestPriorityWeight",
    "maxRequestPriority",
    "affinityBonus",
    "fairShareWeight",
    "maxFairSharePenalty",
    "fairShareWindowSeconds",
    "maxYieldsPerJob",
  ] as const;
  for (const field of nonNegative) {
    const value = policy[field];
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`scheduler policy: ${field} must be a finite number >= 0, got ${value}`);
    }
  }
  if (!Number.isFinite(policy.agingPerSecond) || policy.agingPerSecond <= 0) {
    throw new RangeError(
      `scheduler policy: agingPerSecond must be > 0 (else work can starve), got ${policy.agingPerSecond}`,
    );
  }
  for (const [type, points] of Object.entries(policy.typeClass)) {
    if (!Number.isFinite(points)) {
      throw new RangeError(`scheduler policy: typeClass.${type} must be finite, got ${points}`);
    }
  }
}
