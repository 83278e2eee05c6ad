// A finished job submitted again (POST /api/jobs/{id}/retry, docs/api.md §6): its plan,
// with its input files' paths moved to the new job's copies and, when asked, new seeds.
// Both are found by walking the plan, not by naming its fields, so every kind of input
// a plan may carry (start and end images, keyframes, masks, references, control images)
// is reused without this module knowing it.
import { rewritePlan } from "../engine/plan-rewrite.js";
import type { BatchPlan, JobPlan } from "../engine/protocol.js";
import type { BatchItemState } from "../store/types.js";
import { drawSeed } from "./plans.js";

export interface PlanRewrite {
  /** Old input path -> the new job's copy of it. */
  paths: ReadonlyMap<string, string>;
  /** Draw new seeds: each distinct old seed gets one new one (a RoPE sweep keeps sharing one). */
  newSeeds: boolean;
}

/** The plan of the retry. */
export function retryPlan(plan: JobPlan, rewrite: PlanRewrite): JobPlan {
  const seeds = new Map<number, number>();
  const newSeed = (old: number) => {
    let drawn = seeds.get(old);
    if (drawn === undefined) {
      drawn = drawSeed(-1);
      seeds.set(old, drawn);
    }
    return drawn;
  };
  return rewritePlan(
    plan,
    (value) => rewrite.paths.get(value) ?? value,
    rewrite.newSeeds ? newSeed : undefined,
  );
}

/** A batch plan's items, every one still to run. */
export function pendingBatchItems(plan: Pick<BatchPlan, "items">): BatchItemState[] {
  return plan.items.map((item, index) => ({
    index,
    prompt: item.prompt,
    seed: item.seed,
    status: "pending" as const,
    key: null,
    error: null,
  }));
}
