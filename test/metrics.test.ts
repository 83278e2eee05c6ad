// GET /metrics against a real engine on the tiny model set: job counters by type and
// outcome, queue and engine gauges, durations, process metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assembleEngineFreeService,
  postJson,
  startTestService,
  waitForJob,
  type TestService,
} from "./helpers/service.js";

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
});

afterAll(async () => {
  await service.close();
});

const small = { width: 128, height: 96, steps: 3 };

async function submit(body: Record<string, unknown>): Promise<string> {
  const response = await postJson(`${service.url}/api/generate-image`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.job_id as string;
}

async function scrape(): Promise<string> {
  const response = await fetch(`${service.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series, e.g. sample(text, 'framepack_jobs_created_total{type="image"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("counts jobs by type and outcome, once each, and times the completed ones", async () => {
    const done = await submit({ prompt: "counted", ...small });
    expect((await waitForJob(service.url, done)).status).toBe("completed");
    // Cancelled while running: the service announces such a job's end twice.
    const running = await submit({ prompt: "cancelled", ...small, steps: 100 });
    await waitForJob(service.url, running, (job) => job.status === "processing");
    const cancel = await postJson(`${service.url}/api/jobs/${running}/cancel`, {});
    expect(cancel.body.status).toBe("cancelled");
    // The engine is free again once a next job completes.
    const after = await submit({ prompt: "after", ...small });
    expect((await waitForJob(service.url, after)).status).toBe("completed");

    const text = await scrape();
    expect(sample(text, 'framepack_jobs_created_total{type="image"}')).toBe(3);
    expect(sample(text, 'framepack_jobs_finished_total{type="image",status="completed"}')).toBe(2);
    expect(sample(text, 'framepack_jobs_finished_total{type="image",status="cancelled"}')).toBe(1);
    expect(sample(text, 'framepack_generation_duration_seconds_count{type="image"}')).toBe(2);
    expect(sample(text, 'framepack_generation_duration_seconds_sum{type="image"}')).toBeGreaterThan(
      0,
    );
    expect(sample(text, "framepack_queue_length")).toBe(0);
    expect(sample(text, "framepack_engines_up")).toBe(1);
    expect(sample(text, "framepack_engines_busy")).toBe(0);
  });

  it("times HTTP requests by route pattern and status code", async () => {
    await fetch(`${service.url}/api/jobs/no-such-job`);
    await fetch(`${service.url}/api/no-such-route/123`);
    const text = await scrape();
    expect(
      sample(
        text,
        'framepack_http_request_duration_seconds_count{method="POST",route="/api/generate-image",status_code="202"}',
      ),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(
        text,
        'framepack_http_request_duration_seconds_count{method="GET",route="/api/jobs/:id",status_code="404"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'framepack_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}',
      ),
    ).toBe(1);
    expect(text).not.toContain("no-such-job");
  });

  it("includes the process metrics", async () => {
    const text = await scrape();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_heap_size_used_bytes");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });

  it("keeps one registry per app, so apps side by side count apart", async () => {
    const other = await assembleEngineFreeService();
    try {
      const response = await other.app.inject({
        method: "POST",
        url: "/api/generate-image",
        payload: { prompt: "elsewhere", ...small },
      });
      expect(response.statusCode).toBe(202);
      const text = (await other.app.inject({ url: "/metrics" })).body;
      expect(sample(text, 'framepack_jobs_created_total{type="image"}')).toBe(1);
      expect(sample(text, "framepack_queue_length")).toBe(1);
      expect(sample(text, "framepack_engines_up")).toBe(0);
      const ours = await scrape();
      expect(sample(ours, 'framepack_jobs_created_total{type="image"}')).toBe(3);
    } finally {
      await other.close();
    }
  });
});
