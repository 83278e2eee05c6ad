// Property-based fuzzing of every route in the OpenAPI document with schemathesis
// (tools/fuzz/.venv, made by scripts/tool-env.sh fuzz; settings in tools/fuzz/schemathesis.toml),
// against the service with a real engine on the tiny set: no answer may be a 5xx, and
// every answer must have a documented status, content type and schema.
// FUZZ_SEED=<n> repeats a run's choices (the seed is printed).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "./helpers/engine.js";
import { PROJECT_ROOT } from "./helpers/server-process.js";
import { startTestService, type TestService } from "./helpers/service.js";

const SCHEMATHESIS = join(PROJECT_ROOT, "tools", "fuzz", ".venv", "bin", "schemathesis");
const SETTINGS = join(PROJECT_ROOT, "tools", "fuzz", "schemathesis.toml");
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MIN_REQUESTS = 1000;

let service: TestService;

beforeAll(async () => {
  // A queue long enough that the accepted generation requests never fill it (a full
  // queue answers 503, which is right, but would hide a real 5xx among them).
  service = await startTestService({ maxQueueLength: 5000, maxQueuePerKey: 5000 });
});

afterAll(async () => {
  await service.close();
});

interface Interaction {
  request: { method: string; uri: string };
  response: { status_code: number } | null;
}

/** Every request schemathesis sent and what came back, from its NDJSON event report. */
function interactions(reportPath: string): Interaction[] {
  const found: Interaction[] = [];
  for (const line of readFileSync(reportPath, "utf8").split("\n")) {
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const event = JSON.parse(line) as {
      ScenarioFinished: { recorder: { interactions?: Record<string, Interaction> } };
    };
    found.push(...Object.values(event.ScenarioFinished.recorder.interactions ?? {}));
  }
  return found;
}

async function runSchemathesis(url: string, report: string) {
  const args = [
    "--config-file",
    SETTINGS,
    "run",
    `${url}/openapi.json`,
    // An endless stream: it sends an event only when a video completes.
    "--exclude-path",
    "/video_stream",
    "--max-examples",
    "30",
    "--seed",
    String(SEED),
    "--request-timeout",
    "20",
    "--no-color",
    "--report",
    "ndjson",
    "--report-ndjson-path",
    report,
  ];
  try {
    const { stdout } = await promisify(execFile)(SCHEMATHESIS, args, {
      cwd: makeTempDir("fuzz-run"), // its .hypothesis cache stays out of the repository
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("schemathesis against the OpenAPI document", () => {
  it(
    `${MIN_REQUESTS}+ generated requests: no 5xx, every answer as documented`,
    {
      timeout: 300_000,
    },
    async () => {
      console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} repeats the run)`);
      const report = join(makeTempDir("fuzz"), "events.ndjson");
      const run = await runSchemathesis(service.url, report);
      expect(run.ok, run.output.slice(-20_000)).toBe(true);

      const sent = interactions(report);
      const serverErrors = sent.filter((each) => (each.response?.status_code ?? 0) >= 500);
      console.log(`fuzz: ${sent.length} requests, ${serverErrors.length} answered 5xx`);
      expect(sent.length).toBeGreaterThanOrEqual(MIN_REQUESTS);
      expect(serverErrors.map((each) => `${each.request.method} ${each.request.uri}`)).toEqual([]);
      // The server's own count agrees: no request of any kind was answered with a 5xx.
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).not.toMatch(
        /framepack_http_request_duration_seconds_count\{[^}]*status_code="5/,
      );
    },
  );
});
