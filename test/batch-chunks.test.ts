// A batch job's micro-batches, from the item states its record keeps (src/jobs/batch-chunks.ts).
import { describe, expect, it } from "vitest";
import {
  batchOutputs,
  batchProgress,
  entryIdOf,
  nextRunPlan,
  pendingItems,
} from "../src/jobs/batch-chunks.js";
import type { BatchItemState, JobRecord } from "../src/store/types.js";
import { batchPlan, storedImageJob } from "./helpers/plans.js";

const ITEMS = 10;

function batchJob(done: number, batchSize = 4): JobRecord {
  const item = (index: number) => ({ prompt: `p${index}`, seed: index });
  const rest = Array.from({ length: ITEMS - 1 }, (_unused, index) => item(index + 1));
  const plan = batchPlan("", [item(0), ...rest]);
  const items: BatchItemState[] = plan.items.map((item, index) => ({
    index,
    prompt: item.prompt,
    seed: item.seed,
    status: index < done ? (index === 1 ? "failed" : "completed") : "pending",
    key: index < done && index !== 1 ? `job/${index}.png` : null,
    error: index === 1 && done > 1 ? "broke" : null,
  }));
  return {
    ...storedImageJob("x"),
    id: "job",
    legacyId: null,
    type: "batch_image",
    status: "processing",
    plan: { ...plan, batch_size: batchSize },
    priority: 0,
    apiKeyHash: null,
    createdAt: new Date(0).toISOString(),
    startedAt: null,
    completedAt: null,
    error: null,
    result: null,
    attempts: 1,
    progress: { progress: 0, step: 0, total: 0, info: "", phase: null },
    batchItems: items,
  };
}

describe("a batch job's micro-batches", () => {
  it("run the next batch_size pending items, keeping their item indices", () => {
    const plan = nextRunPlan(batchJob(3));
    expect(plan.kind === "batch" && plan.items).toEqual([
      { prompt: "p3", seed: 3, index: 3 },
      { prompt: "p4", seed: 4, index: 4 },
      { prompt: "p5", seed: 5, index: 5 },
      { prompt: "p6", seed: 6, index: 6 },
    ]);
    const last = nextRunPlan(batchJob(8));
    expect(last.kind === "batch" && last.items.map((item) => item.index)).toEqual([8, 9]);
  });

  it("refuse to run a batch with nothing left", () => {
    expect(() => nextRunPlan(batchJob(ITEMS))).toThrow(/no pending item/);
  });

  it("are queued as <job>#<first pending item>, so each run is its own entry", () => {
    expect(entryIdOf(batchJob(0))).toBe("job#0");
    expect(entryIdOf(batchJob(6))).toBe("job#6");
    expect(pendingItems(batchJob(6))).toHaveLength(4);
  });

  it("count finished items and the running micro-batch's share towards progress", () => {
    expect(batchProgress(batchJob(0), 0)).toBe(0);
    expect(batchProgress(batchJob(4), 0.5)).toBeCloseTo((4 + 0.5 * 4) / ITEMS);
    expect(batchProgress(batchJob(8), 1)).toBe(1);
  });

  it("list the completed items' images as the outputs, at the plan's size", () => {
    const outputs = batchOutputs(batchJob(3));
    expect(outputs).toEqual([
      { key: "job/0.png", kind: "image", seed: 0, width: 128, height: 96, index: 0 },
      { key: "job/2.png", kind: "image", seed: 2, width: 128, height: 96, index: 2 },
    ]);
  });
});

describe("a job of another kind", () => {
  it("runs its plan as it is, queued under its own id", () => {
    const job = { ...batchJob(0), type: "image" as const, ...storedImageJob("x") };
    expect(nextRunPlan(job)).toBe(job.plan);
    expect(entryIdOf(job)).toBe("job");
  });
});
