// Videos that yield, through the real engine on the tiny set (docs/architecture.md §5):
// an image submitted while a 4-section video runs takes the engine at the video's next
// section boundary and finishes before the video's last section; the video goes back to
// the queue without losing an attempt, resumes from its checkpoint, and its MP4 is the
// same frames as the same video run without the image. On one box (the runner) and in
// a cluster (PostgreSQL: the service's engine is an in-process agent, docs/cluster.md).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { solidPngBase64 } from "./helpers/engine.js";
import { openSse } from "./helpers/sse.js";
import { fourSectionVideo, videoFramesOf } from "./helpers/videos.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePostgres } from "./helpers/postgres.js";
import {
  getJob,
  postJson,
  startTestService,
  waitForJob,
  type JobView,
  type TestService,
} from "./helpers/service.js";

const postgres = usePostgres();
let service: TestService;
let image: string; // base64 PNG

beforeAll(async () => {
  image = await solidPngBase64(64, 48, 90);
});

const fourSections = () => fourSectionVideo(image, 11);

type Metadata = { resumed_at_section?: number; sections?: number };

async function submit(path: string, body: unknown): Promise<string> {
  const response = await postJson(`${service.url}${path}`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.job_id as string;
}

const videoFrames = (job: JobView) => videoFramesOf(service.url, job);

/**
 * Waits on the job's event stream for a progress event that `reached` accepts. The stream,
 * not the record: in a cluster the record's progress is written once a second, about as
 * long as two tiny sections, while events arrive as the engine reports them.
 */
async function untilProgress(
  id: string,
  reached: (progress: { info?: string; sections?: { done: number } }) => boolean,
): Promise<void> {
  const stream = await openSse(`${service.url}/api/jobs/${id}/events`);
  const messages = await stream.read(
    (message) =>
      message.event === "done" ||
      (message.event === "progress" && reached(JSON.parse(message.data) as never)),
  );
  expect(messages.at(-1)?.event, "the job ended before the awaited progress").toBe("progress");
}

async function metadataOf(id: string): Promise<Metadata> {
  const view = (await (await fetch(`${service.url}/api/jobs/${id}`)).json()) as {
    result: { metadata: Metadata } | null;
  };
  return view.result?.metadata ?? {};
}

describe.each([
  ["on one box", false],
  ["in a cluster", true],
])("a video yields its engine between sections %s", (_, cluster) => {
  beforeAll(async () => {
    const config = cluster ? { databaseUrl: await postgres.freshDatabase(), agentPollMs: 100 } : {};
    service = await startTestService({ config });
  });

  afterAll(async () => {
    await service.close();
  });

  it("lets an image finish before its last section, and ends with the same frames", async () => {
    const uninterrupted = await waitForJob(
      service.url,
      await submit("/api/generate-video", fourSections()),
    );
    const expected = await videoFrames(uninterrupted);

    const videoId = await submit("/api/generate-video", fourSections());
    // Into its first section (the models are loaded by now): an urgent image arrives.
    await untilProgress(videoId, ({ info }) => /section [12] of 4/i.test(info ?? ""));
    const imageId = await submit("/api/generate-image", {
      prompt: "a lighthouse",
      width: 64,
      height: 64,
      steps: 1,
      priority: 10,
    });
    const imageJob = await waitForJob(service.url, imageId);
    expect(imageJob.status).toBe("completed");
    const videoAtImageEnd = await getJob(service.url, videoId);
    expect(videoAtImageEnd.status).not.toBe("completed");

    const video = await waitForJob(service.url, videoId);
    expect(await videoFrames(video)).toBe(expected);
    expect(video.attempts).toBe(1); // the yield cost no attempt
    const metadata = await metadataOf(videoId);
    expect(metadata.resumed_at_section).toBeGreaterThanOrEqual(1);
    expect(metadata.resumed_at_section).toBeLessThan(4);
    // The image ran on the video's engine before the video's last section was sampled.
    expect(Date.parse(imageJob.started_at ?? "")).toBeLessThan(Date.parse(video.started_at ?? ""));
    // A finished video keeps no checkpoint.
    expect(existsSync(join(service.dataDir, "jobs", videoId, "checkpoint"))).toBe(false);
  }, 300_000);

  it("a cancelled video leaves no checkpoint behind", async () => {
    const videoId = await submit("/api/generate-video", { ...fourSections(), seed: 12 });
    const checkpoint = join(service.dataDir, "jobs", videoId, "checkpoint");
    await untilProgress(videoId, ({ sections }) => (sections?.done ?? 0) >= 1);
    expect(existsSync(checkpoint)).toBe(true);
    const response = await fetch(`${service.url}/api/jobs/${videoId}/cancel`, { method: "POST" });
    expect(response.status).toBe(200);
    await waitForJob(service.url, videoId);
    expect(existsSync(checkpoint)).toBe(false);
  });
});
