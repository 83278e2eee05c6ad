// Event ids of the live job streams: increasing per job, and across a restart, so that
// a client resuming with an id from the previous process is not ignored by the next.
import { describe, expect, it } from "vitest";
import { JobEventHub } from "../src/jobs/events.js";

describe("job event ids", () => {
  it("increase per job and resume after Last-Event-ID", () => {
    const hub = new JobEventHub();
    const names = ["status", "progress", "done"] as const;
    const ids = names.map((name) => hub.publish("job", name, {}).id);
    expect(ids[1]).toBe((ids[0] ?? 0) + 1);
    expect(hub.since("job", ids[0] ?? 0).map((event) => event.id)).toEqual(ids.slice(1));
  });

  it("of a restarted process start above every id the previous one gave", async () => {
    const before = new JobEventHub();
    let last = 0;
    for (let i = 0; i < 10_000; i++) last = before.publish("job", "progress", { i }).id;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = new JobEventHub();
    expect(after.publish("job", "status", {}).id).toBeGreaterThan(last);
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
