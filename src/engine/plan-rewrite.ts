// A plan walked as data: its strings and seeds rewritten without naming its fields, so
// every kind of input a plan may carry (start and end images, keyframes, masks,
// references, control images) is covered without this module knowing it.
import type { JobPlan } from "./protocol.js";

/**
 * The plan with every string passed through `text` (an input path's new place, any
 * other string as it was) and, when given, every seed through `seed`. A retry moves
 * the inputs to the new job's copies with it (src/jobs/retries.ts), a cluster agent to
 * its own local copies (src/artifacts/shared.ts).
 */
export function rewritePlan(
  plan: JobPlan,
  text: (value: string) => string,
  seed?: (old: number) => number,
): JobPlan {
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === "string") return text(value);
    if (typeof value === "number" && key === "seed" && seed) return seed(value);
    if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([name, field]) => [name, walk(field, name)]),
      );
    }
    return value;
  };
  return walk(plan, undefined) as JobPlan;
}
