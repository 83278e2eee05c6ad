// Event ids of the live job streams: increasing per job, and across a restart whatever
// the clock does, so that a client resuming with an id from the previous process is not
// ignored by the next; an id never handed out is no reason to hold events back.
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  followJobEvents,
  JobEventHub,
  type JobEvent,
  type JobEventSource,
} from "../src/jobs/events.js";
import { SqliteJobStore } from "../src/store/sqlite.js";
import { makeTempDir } from "./helpers/engine.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("job event ids", () => {
  it("increase per job and resume after Last-Event-ID", async () => {
    const hub = new JobEventHub();
    const names = ["status", "progress", "done"] as const;
    const ids = names.map((name) => hub.publish("job", name, {}).id);
    expect(ids[1]).toBe((ids[0] ?? 0) + 1);
    expect((await hub.since("job", ids[0] ?? 0)).map((event) => event.id)).toEqual(ids.slice(1));
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

  it("treat an id this service never handed out as unknown: resume from the start", async () => {
    const hub = new JobEventHub();
    const events = (["status", "progress", "progress"] as const).map((name) =>
      hub.publish("job", name, {}),
    );
    const [first, , newest] = events;
    expect(await hub.resumeAfter(first?.id ?? -1)).toBe(first?.id);
    const unknown = [(newest?.id ?? 0) + 1, Number("1e309"), Number.MAX_SAFE_INTEGER, NaN, -3, 2.5];
    for (const id of unknown) expect(await hub.resumeAfter(id), String(id)).toBe(0);
    expect(await hub.since("job", await hub.resumeAfter(Number("1e309")))).toEqual(events);
  });

  it("keep a running job's stream while many others come and go", async () => {
    const hub = new JobEventHub();
    const seen = hub.publish("long-video", "progress", { step: 1 }).id;
    for (let i = 0; i < 1500; i++) {
      hub.publish(`image-${i}`, "status", {});
      hub.publish(`image-${i}`, "done", {});
    }
    const next = hub.publish("long-video", "progress", { step: 2 });
    expect(await hub.since("long-video", seen)).toEqual([next]);
  });

  it("of a job whose stream was forgotten still grow", async () => {
    const hub = new JobEventHub();
    const seen = hub.publish("job", "progress", { step: 1 }).id;
    // Only running jobs: the oldest stream has to go.
    for (let i = 0; i < 1001; i++) hub.publish(`other-${i}`, "progress", {});
    expect(await hub.since("job", 0)).toEqual([]);
    expect(hub.publish("job", "done", {}).id).toBeGreaterThan(seen);
  });

  it("followed from a Last-Event-ID, come each once and in order when live ones race the backlog", async () => {
    const hub = new JobEventHub();
    const before = [hub.publish("job", "status", {}), hub.publish("job", "progress", {})];
    let live: JobEvent[] = [];
    // A durable hub reads its backlog asynchronously: events published meanwhile arrive live.
    const racing: JobEventSource = {
      resumeAfter: (id) => hub.resumeAfter(id),
      subscribe: (jobId, listener) => hub.subscribe(jobId, listener),
      since: async (jobId, after) => {
        const backlog = await hub.since(jobId, after);
        live = [hub.publish(jobId, "progress", {}), hub.publish(jobId, "done", {})];
        return [...backlog, ...live.slice(0, 1)]; // a read racing the publish sees one of them too
      },
    };
    const delivered: JobEvent[] = [];
    const followed = await followJobEvents(racing, "job", 0, (event) => delivered.push(event));
    followed.unsubscribe();
    expect(delivered).toEqual([...before, ...live]);
    expect(followed.backlog).toBe(3);
  });
});
