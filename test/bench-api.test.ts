// Smoke test of the API benchmark (bench/api-bench.mjs): the quick run prints every
// figure as one JSON line with a finite value. No timing is asserted: the figures are
// whatever this machine gives.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { PROJECT_ROOT } from "./helpers/server-process.js";

interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  stored_jobs?: number;
}

const PER_LOAD_RUN = ["per_s", "latency_p50_ms", "latency_p99_ms", "server_cpu_us"];
const EXPECTED_METRICS = [
  ...PER_LOAD_RUN.map((figure) => `submit_${figure}`),
  "progress_update_us",
  "progress_write_us",
  ...PER_LOAD_RUN.map((figure) => `status_read_${figure}`),
  "sse_lag_p50_ms",
  "sse_lag_p99_ms",
  "sse_server_cpu_ms",
  "sse_server_rss_bytes",
  "rest_rss_bytes",
  "summary",
];
/** Figures measured once per store size (the quick run's sizes). */
const PER_STORE_SIZE = ["progress_update_us", "progress_write_us", "status_read_per_s"];

test("the quick API benchmark prints every figure with a finite value", async () => {
  // dist/ is compiled by the global setup.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(PROJECT_ROOT, "bench", "api-bench.mjs"), "--quick"],
    { cwd: PROJECT_ROOT, timeout: 100_000 },
  );
  // Every stdout line is one figure: progress goes to stderr.
  const figures = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Figure);

  expect(new Set(figures.map((figure) => figure.metric))).toEqual(new Set(EXPECTED_METRICS));
  for (const figure of figures) {
    expect(figure.bench, figure.metric).toBe("api");
    expect(Number.isFinite(figure.value), `${figure.metric} = ${String(figure.value)}`).toBe(true);
    expect(figure.unit, figure.metric).not.toBe("");
  }
  for (const metric of PER_STORE_SIZE) {
    const sizes = figures.filter((figure) => figure.metric === metric).map((f) => f.stored_jobs);
    expect(sizes.length, metric).toBeGreaterThan(1);
    expect(new Set(sizes).size, metric).toBe(sizes.length);
  }
  expect(figures.at(-1)?.metric).toBe("summary");
});
