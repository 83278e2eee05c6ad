// Event ids of the live job streams: increasing per job, and across a restart whatever
// the clock does, so that a client resuming with an id from the previous process is not
// ignored by the next; an id never handed out is no reason to hold events back.
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JobEventHub } from "../src/jobs/events.js";
import { SqliteJobStore } from "../src/store/sqlite.js";
import { makeTempDir } from "./helpers/engine.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("job event ids", () => {
  it("increase per job and resume after Last-Event-ID", () => {
    const hub = new JobEventHub();
    const names = ["status", "progress", "done"] as const;
    const ids = names.map((name) => hub.publish("job", name, {}).id);
    expect(ids[1]).toBe((ids[0] ?? 0) + 1);
    expect(hub.since("job", ids[0] ?? 0).map((event) => event.id)).toEqual(ids.slice(1));
  });

  it("of a restarted service start above every id the previous one gave, whatever the clock did", async () => {
    const path = join(makeTempDir("event-ids"), "jobs.sqlite");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2031-06-01T00:00:00Z"));
    const first = SqliteJobStore.open(path);
    const before = new JobEventHub();
    await before.useIds(first);
    let last = 0;
    // Past the first block of ids, so the next one is reserved on the way.
    for (let i = 0; i < 25_000; i++) last = before.publish("job", "progress", { i }).id;
    await vi.waitFor(async () => {
      // A crash now (no close): the ids reserved so far are all the next run knows of.
      const peek = SqliteJobStore.open(path);
      const next = await peek.reserveEventIds(0);
      await peek.close();
      expect(next).toBeGreaterThan(last);
    });

    // The clock steps back across the restart (an NTP correction, a new host).
    vi.setSystemTime(Date.parse("2024-01-01T00:00:00Z"));
    const second = SqliteJobStore.open(path);
    const after = new JobEventHub();
    await after.useIds(second);
    expect(after.publish("job", "status", {}).id).toBeGreaterThan(last);
    await first.close();
    await second.close();
  });

  it("treat an id this service never handed out as unknown: resume from the start", () => {
    const hub = new JobEventHub();
    const events = (["status", "progress", "progress"] as const).map((name) =>
      hub.publish("job", name, {}),
    );
    const [first, , newest] = events;
    expect(hub.resumeAfter(first?.id ?? -1)).toBe(first?.id);
    const unknown = [(newest?.id ?? 0) + 1, Number("1e309"), Number.MAX_SAFE_INTEGER, NaN, -3, 2.5];
    for (const id of unknown) expect(hub.resumeAfter(id), String(id)).toBe(0);
    expect(hub.since("job", hub.resumeAfter(Number("1e309")))).toEqual(events);
  });

  it("keep a running job's stream while many others come and go", () => {
    const hub = new JobEventHub();
    const seen = hub.publish("long-video", "progress", { step: 1 }).id;
    for (let i = 0; i < 1500; i++) {
      hub.publish(`image-${i}`, "status", {});
      hub.publish(`image-${i}`, "done", {});
    }
    const next = hub.publish("long-video", "progress", { step: 2 });
    expect(hub.since("long-video", seen)).toEqual([next]);
  });

  it("of a job whose stream was forgotten still grow", () => {
    const hub = new JobEventHub();
    const seen = hub.publish("job", "progress", { step: 1 }).id;
    // Only running jobs: the oldest stream has to go.
    for (let i = 0; i < 1001; i++) hub.publish(`other-${i}`, "progress", {});
    expect(hub.since("job", 0)).toEqual([]);
    expect(hub.publish("job", "done", {}).id).toBeGreaterThan(seen);
  });
});
