// The scheduler's ordering, pure: no engine, a fake clock.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY,
  score,
  starvationBoundSeconds,
  type SchedulerPolicy,
} from "../src/scheduler/policy.js";
import { PriorityDispatcher } from "../src/scheduler/priority-dispatcher.js";
import type { EngineLoadout, EngineSlot, QueueEntry } from "../src/scheduler/types.js";

const T0 = 1_700_000_000_000;
const SECOND = 1000;
const PLAIN: EngineLoadout = { transformer: "base", loras: "" };

function entry(id: string, fields: Partial<QueueEntry> = {}): QueueEntry {
  return {
    id,
    jobId: id,
    type: "image",
    priority: 0,
    enqueuedAt: T0,
    apiKeyHash: null,
    affinity: PLAIN,
    ...fields,
  };
}

function engine(loadout: EngineLoadout | null = null): EngineSlot {
  return { id: "gpu0", loadout };
}

function dispatcherWith(entries: QueueEntry[], policy: SchedulerPolicy = DEFAULT_POLICY) {
  const dispatcher = new PriorityDispatcher(policy);
  for (const queued of entries) dispatcher.enqueue(queued);
  return dispatcher;
}

/** Ids in the order next() hands them out to one engine at a fixed time. */
function drain(dispatcher: PriorityDispatcher, now: number, slot = engine()): string[] {
  const ids: string[] = [];
  for (let next = dispatcher.next(slot, now); next; next = dispatcher.next(slot, now)) {
    ids.push(next.id);
  }
  return ids;
}

describe("priority classes", () => {
  it("runs images and transfers before batches, and batches before videos", () => {
    const dispatcher = dispatcherWith([
      entry("video", { type: "video" }),
      entry("batch", { type: "batch_image" }),
      entry("image", { type: "image" }),
      entry("transfer", { type: "image_transfer" }),
    ]);
    expect(drain(dispatcher, T0)).toEqual(["image", "transfer", "batch", "video"]);
  });

  it("follows a configured class table", () => {
    const videoFirst: SchedulerPolicy = {
      ...DEFAULT_POLICY,
      typeClass: { video: 40, image: 30, image_transfer: 30, batch_image: 20 },
    };
    const dispatcher = dispatcherWith(
      [entry("image"), entry("video", { type: "video" })],
      videoFirst,
    );
    expect(drain(dispatcher, T0)).toEqual(["video", "image"]);
  });

  it("honours the request priority, which can lift a video above an image", () => {
    const dispatcher = dispatcherWith([
      entry("image"),
      entry("urgent image", { priority: 2 }),
      entry("urgent video", { type: "video", priority: 10 }),
      entry("low image", { priority: -1 }),
    ]);
    expect(drain(dispatcher, T0)).toEqual(["urgent video", "urgent image", "image", "low image"]);
  });

  it("clamps the request priority to maxRequestPriority", () => {
    const dispatcher = dispatcherWith([
      entry("earlier", { priority: 10 }),
      entry("later", { priority: 1_000_000, enqueuedAt: T0 + 1 }),
    ]);
    expect(drain(dispatcher, T0 + SECOND)).toEqual(["earlier", "later"]);
  });

  it("breaks equal scores by enqueue time, then by enqueue order", () => {
    // One priority unit is worth exactly 10 s of waiting here, so these three score the same.
    const policy: SchedulerPolicy = {
      ...DEFAULT_POLICY,
      agingPerSecond: 1,
      requestPriorityWeight: 10,
    };
    const dispatcher = dispatcherWith(
      [
        entry("second", { priority: 1, enqueuedAt: T0 + 10 * SECOND }),
        entry("third", { priority: 1, enqueuedAt: T0 + 10 * SECOND }),
        entry("first", { priority: 0, enqueuedAt: T0 }),
      ],
      policy,
    );
    expect(drain(dispatcher, T0 + 60 * SECOND)).toEqual(["first", "second", "third"]);
  });
});

describe("aging", () => {
  it("has a starvation bound of 1050 s with the default policy", () => {
    // (class gap 20 + priority gap 2*10*3 + affinity 5 + fair-share cap 20) / 0.1 per second
    expect(starvationBoundSeconds(DEFAULT_POLICY)).toBe(1050);
  });

  it("dispatches a video within the bound under a stream of fresh images", () => {
    const dispatcher = dispatcherWith([entry("video", { type: "video" })]);
    const gpu = engine(PLAIN);
    let videoWaitedSeconds: number | undefined;
    for (let second = 1; second <= 2000 && videoWaitedSeconds === undefined; second++) {
      const now = T0 + second * SECOND;
      dispatcher.enqueue(entry(`image ${second}`, { enqueuedAt: now }));
      if (dispatcher.next(gpu, now)?.id === "video") videoWaitedSeconds = second;
    }
    // The class gap (20 points) closes at 0.1 point per second: images go first for 200 s.
    expect(videoWaitedSeconds).toBe(200);
    expect(videoWaitedSeconds).toBeLessThanOrEqual(starvationBoundSeconds(DEFAULT_POLICY));
  });

  it("holds the bound in the worst case, and the bound is tight", () => {
    const bound = starvationBoundSeconds(DEFAULT_POLICY);
    const imageLoadout: EngineLoadout = { transformer: "f1", loras: "style" };
    // Everything against the old video: lowest class and priority, no affinity, a busy key.
    const worstCase = (freshImageAfterSeconds: number) => {
      const heavyKeyVideos = Array.from({ length: 11 }, (_, index) =>
        entry(`video ${index}`, { type: "video", priority: -10, apiKeyHash: "heavy" }),
      );
      const now = T0 + freshImageAfterSeconds * SECOND;
      const freshImage = entry("fresh image", {
        priority: 10,
        enqueuedAt: now,
        apiKeyHash: "light",
        affinity: imageLoadout,
      });
      const dispatcher = dispatcherWith([...heavyKeyVideos, freshImage]);
      return dispatcher.next(engine(imageLoadout), now)?.id;
    };
    expect(worstCase(bound - 1)).toBe("fresh image");
    expect(worstCase(bound + 1)).toBe("video 0");
  });
});

describe("affinity", () => {
  const f1: EngineLoadout = { transformer: "f1", loras: "" };
  const baseWithLora: EngineLoadout = { transformer: "base", loras: "style:1" };

  it("prefers, among equal entries, the one that fits the engine's loadout", () => {
    const entries = () => [
      entry("f1", { affinity: f1 }),
      entry("base+lora", { affinity: baseWithLora }),
    ];
    expect(dispatcherWith(entries()).next(engine(baseWithLora), T0)?.id).toBe("base+lora");
    // The same transformer with another LoRA set still earns half the bonus.
    const otherLora = engine({ transformer: "base", loras: "other:1" });
    expect(dispatcherWith(entries()).next(otherLora, T0)?.id).toBe("base+lora");
    expect(dispatcherWith(entries()).next(engine(f1), T0)?.id).toBe("f1");
  });

  it("never lets affinity beat an entry that waited longer than its share of the bound", () => {
    const affinityLimitSeconds = DEFAULT_POLICY.affinityBonus / DEFAULT_POLICY.agingPerSecond;
    expect(affinityLimitSeconds).toBe(50);
    const firstDispatched = (matchingArrivesAfterSeconds: number) => {
      const matchingAt = T0 + matchingArrivesAfterSeconds * SECOND;
      const dispatcher = dispatcherWith([
        entry("waiting", { affinity: f1 }),
        entry("matching", { affinity: baseWithLora, enqueuedAt: matchingAt }),
      ]);
      return dispatcher.next(engine(baseWithLora), matchingAt + 10 * SECOND)?.id;
    };
    expect(firstDispatched(affinityLimitSeconds - 1)).toBe("matching");
    expect(firstDispatched(affinityLimitSeconds + 1)).toBe("waiting");
  });

  it("gives no bonus to anything on an engine with nothing loaded", () => {
    const dispatcher = dispatcherWith([
      entry("f1", { affinity: f1 }),
      entry("base+lora", { affinity: baseWithLora }),
    ]);
    expect(drain(dispatcher, T0)).toEqual(["f1", "base+lora"]);
  });
});

describe("fair share across API keys", () => {
  it("runs one key's single job before another key's backlog of 50", () => {
    const backlog = Array.from({ length: 50 }, (_, index) =>
      entry(`a${index}`, { apiKeyHash: "key-a", enqueuedAt: T0 + index }),
    );
    const single = entry("b", { apiKeyHash: "key-b", enqueuedAt: T0 + 50 });
    const order = drain(dispatcherWith([...backlog, single]), T0 + SECOND);
    expect(order.indexOf("b")).toBe(0);
    expect(order.slice(1)).toEqual(backlog.map((queued) => queued.id));
  });

  it("never reorders the work of a single key", () => {
    const videos = Array.from({ length: 15 }, (_, index) => entry(`v${index}`, { type: "video" }));
    const dispatcher = dispatcherWith([...videos, entry("image", { enqueuedAt: T0 + 1 })]);
    expect(dispatcher.next(engine(), T0 + SECOND)?.id).toBe("image");
  });

  it("counts a key's recent dispatches until the window has passed", () => {
    const dispatcher = dispatcherWith(
      Array.from({ length: 5 }, (_, index) => entry(`a${index}`, { apiKeyHash: "key-a" })),
    );
    expect(drain(dispatcher, T0)).toHaveLength(5);
    const later = T0 + 10 * SECOND;
    dispatcher.enqueue(entry("a-new", { apiKeyHash: "key-a", enqueuedAt: later }));
    dispatcher.enqueue(entry("b-new", { apiKeyHash: "key-b", enqueuedAt: later + 1 }));
    expect(dispatcher.position("b-new", later + SECOND)).toBe(0);
    const afterWindow = later + DEFAULT_POLICY.fairShareWindowSeconds * SECOND;
    expect(dispatcher.position("a-new", afterWindow)).toBe(0);
    expect(drain(dispatcher, afterWindow)).toEqual(["a-new", "b-new"]);
  });

  it("scores the fair-share penalty up to its cap", () => {
    const context = { now: T0, loadout: null };
    const idle = score(entry("x"), { ...context, keyLoad: 0 }, DEFAULT_POLICY);
    expect(score(entry("x"), { ...context, keyLoad: 3 }, DEFAULT_POLICY)).toBe(idle - 6);
    expect(score(entry("x"), { ...context, keyLoad: 1000 }, DEFAULT_POLICY)).toBe(idle - 20);
  });
});

describe("the queue", () => {
  it("reports positions in the exact order next() dispatches", () => {
    const types = ["video", "image", "batch_image", "image_transfer"] as const;
    const keys = ["key-a", "key-b", "key-c", "key-d", "key-e", "key-f", null];
    const loadouts: EngineLoadout[] = [PLAIN, { transformer: "f1", loras: "x" }];
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T;
    const entries = Array.from({ length: 60 }, (_, index) =>
      entry(`e${index}`, {
        type: pick(types),
        priority: random(5) - 2,
        enqueuedAt: T0 + random(600) * SECOND,
        apiKeyHash: pick(keys),
        affinity: pick(loadouts),
      }),
    );
    const dispatcher = dispatcherWith(entries);
    const now = T0 + 900 * SECOND;
    // Some recent dispatches, so fair share is in play.
    for (let count = 0; count < 10; count++) dispatcher.next(engine(pick(loadouts)), now);

    const positions = new Map<string, number>();
    for (const { id } of entries) {
      const position = dispatcher.position(id, now);
      if (position !== undefined) positions.set(id, position);
    }
    expect(positions.size).toBe(50);
    expect(new Set(positions.values()).size).toBe(50);
    const byPosition = [...positions.keys()].sort(
      (a, b) => (positions.get(a) ?? 0) - (positions.get(b) ?? 0),
    );
    expect(drain(dispatcher, now)).toEqual(byPosition);
  });

  it("has no position for an entry that is not queued", () => {
    const dispatcher = dispatcherWith([entry("a")]);
    expect(dispatcher.position("missing", T0)).toBeUndefined();
    dispatcher.next(engine(), T0);
    expect(dispatcher.position("a", T0)).toBeUndefined();
    expect(dispatcher.next(engine(), T0)).toBeUndefined();
  });

  it("removes a cancelled entry", () => {
    const dispatcher = dispatcherWith([
      entry("keep", { apiKeyHash: "key-a" }),
      entry("cancel", { apiKeyHash: "key-a", priority: 5 }),
    ]);
    expect(dispatcher.countByKey("key-a")).toBe(2);
    expect(dispatcher.remove("cancel")).toBe(true);
    expect(dispatcher.remove("cancel")).toBe(false);
    expect(dispatcher.size()).toBe(1);
    expect(dispatcher.countByKey("key-a")).toBe(1);
    expect(dispatcher.position("keep", T0)).toBe(0);
    expect(drain(dispatcher, T0)).toEqual(["keep"]);
    expect(dispatcher.remove("keep")).toBe(false);
  });

  it("counts queued entries per key, the null key included", () => {
    const dispatcher = dispatcherWith([
      entry("a", { apiKeyHash: "key-a" }),
      entry("n1"),
      entry("n2"),
    ]);
    expect(dispatcher.countByKey(null)).toBe(2);
    expect(dispatcher.countByKey("key-a")).toBe(1);
    expect(dispatcher.countByKey("key-b")).toBe(0);
    expect(dispatcher.size()).toBe(3);
  });

  it("refuses a duplicate entry id and a policy without aging", () => {
    const dispatcher = dispatcherWith([entry("a")]);
    expect(() => {
      dispatcher.enqueue(entry("a"));
    }).toThrow(/already queued/);
    expect(() => new PriorityDispatcher({ ...DEFAULT_POLICY, agingPerSecond: 0 })).toThrow(
      /agingPerSecond/,
    );
    expect(() => new PriorityDispatcher({ ...DEFAULT_POLICY, fairShareWeight: -1 })).toThrow(
      /fairShareWeight/,
    );
  });
});

describe("yielding between sections (preemptor)", () => {
  const video = entry("video", { type: "video" });
  const onItsEngine = engine(PLAIN);

  /** The running video dispatched at T0 (counted against its key like a real dispatch). */
  function running(waiting: QueueEntry[]) {
    const dispatcher = dispatcherWith([video]);
    dispatcher.next(onItsEngine, T0);
    for (const queued of waiting) dispatcher.enqueue(queued);
    return dispatcher;
  }

  it("lets a waiting image take a running video's engine, leaving the image queued", () => {
    const dispatcher = running([entry("image", { enqueuedAt: T0 + SECOND })]);
    expect(dispatcher.preemptor(video, onItsEngine, 0, T0 + 2 * SECOND)?.id).toBe("image");
    expect(dispatcher.size()).toBe(1);
  });

  it("never preempts for work of the same or a lower class, whatever its priority", () => {
    const dispatcher = running([
      entry("video2", { type: "video", priority: 10, enqueuedAt: T0 + SECOND }),
    ]);
    expect(dispatcher.preemptor(video, onItsEngine, 0, T0 + 2 * SECOND)).toBeUndefined();
  });

  it("keeps a video whose score (priority, aging) beats the waiting image", () => {
    const lifted = entry("lifted", { type: "video", priority: 10 });
    const dispatcher = dispatcherWith([lifted]);
    dispatcher.next(onItsEngine, T0);
    dispatcher.enqueue(entry("image", { enqueuedAt: T0 + SECOND }));
    expect(dispatcher.preemptor(lifted, onItsEngine, 0, T0 + 2 * SECOND)).toBeUndefined();
    // Aging: an image arriving long after the video no longer outscores it.
    const late = running([entry("late", { enqueuedAt: T0 + 300 * SECOND })]);
    expect(late.preemptor(video, onItsEngine, 0, T0 + 301 * SECOND)).toBeUndefined();
  });

  it("stops after maxYieldsPerJob yields", () => {
    const dispatcher = running([entry("image", { enqueuedAt: T0 + SECOND })]);
    const limit = DEFAULT_POLICY.maxYieldsPerJob;
    expect(dispatcher.preemptor(video, onItsEngine, limit - 1, T0 + 2 * SECOND)).toBeDefined();
    expect(dispatcher.preemptor(video, onItsEngine, limit, T0 + 2 * SECOND)).toBeUndefined();
  });

  it("never yields to work that arrived more than the starvation bound after the video", () => {
    const bound = starvationBoundSeconds(DEFAULT_POLICY);
    const urgent = { priority: 10, apiKeyHash: "other" };
    const within = running([entry("within", { ...urgent, enqueuedAt: T0 + 100 * SECOND })]);
    expect(within.preemptor(video, onItsEngine, 0, T0 + 101 * SECOND)).toBeDefined();
    const after = running([entry("after", { ...urgent, enqueuedAt: T0 + (bound + 1) * SECOND })]);
    expect(after.preemptor(video, onItsEngine, 0, T0 + (bound + 2) * SECOND)).toBeUndefined();
  });

  it("refuses a negative maxYieldsPerJob", () => {
    expect(() => new PriorityDispatcher({ ...DEFAULT_POLICY, maxYieldsPerJob: -1 })).toThrow(
      /maxYieldsPerJob/,
    );
  });
});

describe("startable entries only (a paused queue)", () => {
  it("hands out the best entry the filter accepts and leaves the others queued", () => {
    const dispatcher = dispatcherWith([
      entry("image"),
      entry("batch#4", { jobId: "batch", type: "batch_image" }),
    ]);
    const onlyBatches = (queued: QueueEntry) => queued.jobId === "batch";
    expect(dispatcher.next(engine(), T0, onlyBatches)?.id).toBe("batch#4");
    expect(dispatcher.next(engine(), T0, onlyBatches)).toBeUndefined();
    expect(dispatcher.size()).toBe(1);
    expect(dispatcher.next(engine(), T0)?.id).toBe("image");
  });
});
