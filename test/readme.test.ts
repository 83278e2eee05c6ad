// The READMEs are tested like code: the curl examples run, in the order written,
// against a live service on the tiny set; both languages carry the same examples; and
// each configuration table lists exactly the settings of src/config.ts and their defaults,
// each error table exactly the codes of src/contract/error-codes.ts.
import { execFile } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTINGS } from "../src/config.js";
import {
  JOB_ERROR_CODES,
  REQUEST_ERROR_CODES,
  REQUEST_ERROR_DESCRIPTIONS,
} from "../src/contract/error-codes.js";
import { PROJECT_ROOT } from "../src/paths.js";
import { makeTempDir, writeTestImage } from "./helpers/engine.js";
import { startTestService, type TestService } from "./helpers/service.js";

const READMES = ["README.md", "README.ja.md"];
// The examples' own input files, written into the directory the examples run in.
const EXAMPLE_IMAGES = ["in.png", "person.png", "jacket.png"];
const EXAMPLE_TIMEOUT_MS = 240_000;

function readme(name: string): string {
  return readFileSync(join(PROJECT_ROOT, name), "utf8");
}

/** The curl commands of the `sh` code blocks: continuation lines joined, comments cut. */
export function curlExamples(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");
  return blocks
    .flatMap((block) => block.replace(/\\\n\s*/g, " ").split("\n"))
    .map((line) => line.replace(/\s+# .*$/, "").trim())
    .filter((line) => line.startsWith("curl "));
}

/** `| \`ENV\` | \`default\` | meaning |` rows of the configuration table, as [env, default]. */
function configRows(markdown: string): [string, string][] {
  return [...markdown.matchAll(/^\| `([A-Z0-9_]+)`\s*\| (`[^`]*`|—)\s*\|/gm)].map((match) => [
    match[1] ?? "",
    match[2] === "—" ? "" : (match[2] ?? "").slice(1, -1),
  ]);
}

/** [code, meaning] of each row of the error tables, in order. */
function errorCodeRows(markdown: string): [string, string][] {
  return [...markdown.matchAll(/^\| `([a-z_]+)`\s*\|\s*(.*?)\s*\|$/gm)].map((match) => [
    match[1] ?? "",
    match[2] ?? "",
  ]);
}

/** Defaults as a reader sees them: project paths relative to the checkout. */
function shownDefault(value: string): string {
  return value.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, value) : value;
}

interface ExampleIds {
  job?: string;
  legacyJob?: string;
}

/** Remembers the job ids an example's answer announces, for the examples after it. */
function noteJobIds(output: string, ids: ExampleIds): void {
  let answer: unknown;
  try {
    answer = JSON.parse(output);
  } catch {
    return;
  }
  const id = (answer as { job_id?: unknown }).job_id;
  if (typeof id !== "string") return;
  if (/^[0-9a-f]{8}$/.test(id)) ids.legacyJob = id;
  else ids.job = id;
}

function instantiate(example: string, baseHost: string, ids: ExampleIds): string {
  return example
    .replaceAll("localhost:8080", baseHost)
    .replaceAll("LEGACY_ID", ids.legacyJob ?? "LEGACY_ID")
    .replaceAll("JOB_ID", ids.job ?? "JOB_ID");
}

// Failing HTTP answers fail the example; an example that bounds a stream with
// --max-time (an endless SSE feed) may end by that bound (curl's exit code 28).
const PRELUDE = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n';

async function runExample(command: string, cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("bash", ["-c", PRELUDE + command], {
      cwd,
      timeout: EXAMPLE_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    if (failure.code === 28 && command.includes("--max-time")) return failure.stdout ?? "";
    throw new Error(
      `example failed (exit ${String(failure.code)}): ${command}\n${failure.stdout ?? ""}${failure.stderr ?? ""}`,
    );
  }
}

describe.each(READMES)("%s", (name) => {
  it("lists every setting of src/config.ts with its default", () => {
    const rows = configRows(readme(name));
    const expected = Object.values(SETTINGS).map((setting) => [
      setting.env,
      shownDefault(setting.default),
    ]);
    expect(rows.sort()).toEqual(expected.sort());
  });

  it("lists every error code, request codes first, each request code with its status", () => {
    const rows = errorCodeRows(readme(name));
    expect(rows.map(([code]) => code)).toEqual([
      ...Object.keys(REQUEST_ERROR_CODES),
      ...Object.keys(JOB_ERROR_CODES),
    ]);
    for (const [code, spec] of Object.entries(REQUEST_ERROR_CODES)) {
      expect(rows.find(([row]) => row === code)?.[1]).toMatch(new RegExp(`^${spec.status}: `));
    }
  });

  // The translations differ in prose and comments only, so running one language's
  // examples runs both.
  it("has the same curl examples as README.md", () => {
    expect(curlExamples(readme(name))).toEqual(curlExamples(readme("README.md")));
  });
});

it("README.md gives each error code's meaning as the registry does", () => {
  expect(errorCodeRows(readme("README.md"))).toEqual([
    ...Object.entries(REQUEST_ERROR_DESCRIPTIONS),
    ...Object.entries(JOB_ERROR_CODES),
  ]);
});

describe("the README's curl examples", () => {
  let service: TestService;
  let workDir: string;

  beforeAll(async () => {
    // A signing secret, so that the webhook example is accepted (its deliveries fail unseen).
    service = await startTestService({
      config: { webhookSecret: `whsec_${Buffer.alloc(32, 7).toString("base64")}` },
    });
    workDir = makeTempDir("readme");
    const image = await writeTestImage(workDir, 96, 64);
    for (const name of EXAMPLE_IMAGES) copyFileSync(image, join(workDir, name));
  });
  afterAll(async () => {
    await service.close();
  });

  it("run in order, each succeeding", { timeout: 900_000 }, async () => {
    const examples = curlExamples(readme("README.md"));
    expect(examples.length).toBeGreaterThan(25);
    const baseHost = new URL(service.url).host;
    const ids: ExampleIds = {};
    for (const example of examples) {
      const output = await runExample(instantiate(example, baseHost, ids), workDir);
      noteJobIds(output, ids);
    }
    expect(ids.job).toBeDefined();
    expect(ids.legacyJob).toBeDefined();
  });
});
