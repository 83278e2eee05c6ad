// The `framepack` CLI as users run it: the compiled dist/src/cli/main.js (built by the
// global setup) as a child process, against a service on the tiny model set, or against
// a stand-in for what the tiny engine cannot be made to do; and the CLI's own logic.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { EventEmitter, once } from "node:events";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import {
  EventStreamLostError,
  type FramePackClient,
  type JobStreamEvent,
} from "../src/client/index.js";
import { describeFailure, failureEvent } from "../src/cli/errors.js";
import { followJob } from "../src/cli/follow.js";
import {
  formatDuration,
  ProgressBarState,
  type ProgressData,
} from "../src/cli/progress-bar-state.js";
import type { JobReporter } from "../src/cli/reporter.js";
import { makeTempDir, writeTestImage } from "./helpers/engine.js";
import { storedImageRecord } from "./helpers/plans.js";
import { PROJECT_ROOT } from "./helpers/server-process.js";
import {
  assembleEngineFreeService,
  startTestService,
  type TestService,
} from "./helpers/service.js";

const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");
const SMALL = ["--width", "128", "--height", "96", "--steps", "2"];

interface Run {
  /** The exit status; null when a signal ended the CLI. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child process; `run` settles when it has exited (rejects when it cannot start). */
function startFramepack(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): { child: ChildProcess; run: Promise<Run> } {
  const child = spawn("node", [CLI, ...args], {
    env: { ...process.env, FRAMEPACK_API_KEY: "", ...env },
    ...(cwd === undefined ? {} : { cwd }),
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
  const run = new Promise<Run>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      resolve({ code, signal, ...output });
    });
  });
  return { child, run };
}

function framepack(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Run> {
  return startFramepack(args, env, cwd).run;
}

/** Resolves once the child has written `text` on stdout or stderr. */
function written(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    };
    child.stdout?.on("data", look);
    child.stderr?.on("data", look);
    child.once("close", () => {
      reject(new Error(`the CLI ended without writing ${text}: ${seen}`));
    });
  });
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe("--help", () => {
  const commands = ["serve", "image", "batch", "transfer", "video", "jobs", "watch", "cancel"];

  it.each([...commands, "models"])("framepack %s --help", async (command) => {
    const run = await framepack([command, "--help"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Usage: framepack ${command}`);
  });

  it("shows the defaults: the server's for request flags, per command, and the CLI's own", async () => {
    const image = (await framepack(["image", "--help"])).stdout.replace(/\s+/g, " ");
    expect(image).toContain("--steps <n> sampling steps (default: 30)");
    expect(image).toContain('(default: "framepack-outputs")');
    expect(image).toContain('(default: "http://127.0.0.1:8080")');
    expect(image).toContain("--api-key <key>");
    expect(image).toMatch(/--target-index <n> RoPE target index -/); // none for images
    const video = (await framepack(["video", "--help"])).stdout.replace(/\s+/g, " ");
    expect(video).toContain("--steps <n> sampling steps (default: 25)");
    const transfer = (await framepack(["transfer", "--help"])).stdout.replace(/\s+/g, " ");
    expect(transfer).toContain("--target-index <n> RoPE target index (default: 1)");
  });

  it("framepack --help names every command", async () => {
    const run = await framepack(["--help"]);
    for (const command of [...commands, "models"]) expect(run.stdout).toContain(command);
  });
});

describe("against the tiny engine", () => {
  let service: TestService;
  let dir: string;
  let input: string;
  let server: Record<string, string>;

  beforeAll(async () => {
    service = await startTestService();
    server = { FRAMEPACK_SERVER: service.url };
    dir = makeTempDir("cli");
    input = await writeTestImage(dir, 64, 48);
  });

  afterAll(async () => {
    await service.close();
  });

  /** Runs a generation command into a folder not there yet; returns the run and the folder. */
  async function generate(args: string[]): Promise<Run & { out: string }> {
    const out = join(makeTempDir("cli-out"), "out");
    const run = await framepack([...args, "--out", out], server);
    return { ...run, out };
  }

  const isPng = (path: string) => readFileSync(path).subarray(1, 4).toString("latin1") === "PNG";

  it("image writes a PNG and prints its path", async () => {
    const run = await generate(["image", "-p", "a lighthouse", "--seed", "3", ...SMALL]);
    expect(run.code, run.stderr).toBe(0);
    const [path] = lines(run.stdout);
    expect(path?.startsWith(run.out)).toBe(true);
    expect(isPng(path ?? "")).toBe(true);
  });

  it("batch writes one PNG per prompt", async () => {
    const prompts = ["-p", "one", "-p", "two", "-p", "three"];
    const run = await generate([
      "batch",
      ...prompts,
      "--seeds",
      "1,2,3",
      "--batch-size",
      "2",
      ...SMALL,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const files = readdirSync(run.out).map((name) => join(run.out, name));
    expect(files).toHaveLength(3);
    expect(files.every(isPng)).toBe(true);
    expect(lines(run.stdout).sort()).toEqual([...files].sort());
  });

  it("transfer writes a PNG and video writes an MP4", async () => {
    const transfer = await generate(["transfer", input, input, "-p", "wearing it", ...SMALL]);
    expect(transfer.code, transfer.stderr).toBe(0);
    expect(isPng(lines(transfer.stdout)[0] ?? "")).toBe(true);

    const videoArgs = ["video", input, "-p", "it moves", "--video-length", "1", "--no-teacache"];
    const video = await generate([...videoArgs, ...SMALL]);
    expect(video.code, video.stderr).toBe(0);
    const [mp4] = lines(video.stdout);
    expect(mp4).toMatch(/\.mp4$/);
    expect(
      readFileSync(mp4 ?? "")
        .subarray(4, 8)
        .toString("latin1"),
    ).toBe("ftyp");
  });

  it("writes into framepack-outputs/ without --out, and names a seed it drew at random", async () => {
    const cwd = makeTempDir("cli-cwd");
    const run = await framepack(["image", "-p", "where to", ...SMALL], server, cwd);
    expect(run.code, run.stderr).toBe(0);
    const [path] = lines(run.stdout);
    expect(path?.startsWith(join(cwd, "framepack-outputs", ""))).toBe(true);
    expect(isPng(path ?? "")).toBe(true);
    const seed = /random seed: (\d+) \(--seed (\d+) makes it again\)/.exec(run.stderr);
    expect(seed?.[1]).toBe(seed?.[2]);
    expect(run.stderr).not.toContain("waiting in the queue"); // it started at once

    const chosen = await generate(["image", "-p", "where to", "--seed", "5", ...SMALL]);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stderr).not.toContain("random seed");
  });

  it("proposes a portrait input's own bucket when no size is given; a given size wins", async () => {
    const portrait = await writeTestImage(makeTempDir("cli-portrait"), 48, 72);
    const sizeOf = async (args: string[]) => {
      const run = await generate([...args, "--no-wait", "--steps", "1"]);
      expect(run.code, run.stderr).toBe(0);
      const id = run.stdout.trim();
      const job = (await (await fetch(`${service.url}/api/jobs/${id}`)).json()) as {
        data: { width?: number; height?: number };
      };
      await fetch(`${service.url}/api/jobs/${id}/cancel`, { method: "POST" });
      return { stderr: run.stderr, width: job.data.width, height: job.data.height };
    };
    // The image default's area (1216x704), the input's 2:3 aspect.
    const image = await sizeOf(["image", portrait, "-p", "standing"]);
    expect(image).toMatchObject({ width: 752, height: 1120 });
    expect(image.stderr).toContain(`size 752x1120: the nearest bucket of ${portrait} (48x72)`);
    const batch = await sizeOf(["batch", "-p", "one", "-p", "two", "--input", portrait]);
    expect(batch).toMatchObject({ width: 752, height: 1120 });
    // No default size: FramePack's 640 bucket, as the engine would take.
    const video = await sizeOf(["video", portrait, "-p", "walking"]);
    expect(video).toMatchObject({ width: 512, height: 768 });
    const given = await sizeOf([
      "image",
      portrait,
      "-p",
      "wide",
      "--width",
      "256",
      "--height",
      "128",
    ]);
    expect(given).toMatchObject({ width: 256, height: 128 });
    expect(given.stderr).not.toContain("nearest bucket");
  });

  it("jobs is a table of short ids, which watch and cancel take", async () => {
    const submitted = await generate([
      "image",
      "-p",
      "a long\nnight",
      "--no-wait",
      ...SMALL,
      "--steps",
      "100",
    ]);
    const id = submitted.stdout.trim();
    const short = id.slice(0, 8);
    const table = await framepack(["jobs", "--limit", "200"], server);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = lines(table.stdout);
    expect(header).toMatch(/^ID\s+STATUS\s+TYPE\s+CREATED\s+PROMPT$/);
    const row = rows.find((line) => line.startsWith(`${short} `));
    expect(row).toMatch(/ image .* a long night$/);
    expect(table.stdout).not.toContain(id);

    const cancelled = await framepack(["cancel", short, "--json"], server);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id });
    const watched = await framepack(["watch", short], server);
    expect(watched.code).not.toBe(0);
    expect(watched.stderr).toContain(`job ${short} cancelled`);
  });

  it("a refused request exits non-zero with the server's message and the field", async () => {
    const run = await generate(["image", "-p", "x", "--steps", "1000"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("Invalid request: check steps.");
    expect(run.stderr).toContain("HTTP 422");
    expect(existsSync(run.out)).toBe(false); // nothing written, not even the folder
  });

  it("--json also reports a failure as an error event on stdout", async () => {
    const run = await generate(["image", "-p", "x", "--steps", "1000", "--json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Invalid request: check steps.");
    const last = JSON.parse(lines(run.stdout).at(-1) ?? "null") as unknown;
    expect(last).toMatchObject({
      event: "error",
      status: 422,
      code: "validation_failed",
      details: [{ field: "steps" }],
      message: expect.stringContaining("Invalid request: check steps.") as unknown,
    });
  });

  it("--json prints the events as JSON lines, then the output paths", async () => {
    const run = await generate(["image", "-p", "json", "--json", ...SMALL]);
    expect(run.code, run.stderr).toBe(0);
    const events = lines(run.stdout).map((line) => JSON.parse(line) as { event: string });
    expect(events[0]).toMatchObject({ event: "submitted" });
    const names = events.map((event) => event.event);
    expect(names).toContain("progress");
    expect(names.at(-2)).toBe("done");
    const last = events.at(-1) as { event: string; paths: string[] };
    expect(last.event).toBe("outputs");
    expect(last.paths).toHaveLength(1);
    expect(isPng(last.paths[0] ?? "")).toBe(true);
  });

  it("--no-wait prints the id; jobs lists it, cancel stops it, watch reports why it ended", async () => {
    const submitted = await generate([
      "image",
      "-p",
      "long",
      "--no-wait",
      ...SMALL,
      "--steps",
      "100",
    ]);
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = submitted.stdout.trim();

    const listed = await framepack(["jobs", "--json", "--limit", "200"], server);
    const page = JSON.parse(listed.stdout) as { jobs: { id: string }[] };
    expect(page.jobs.map((job) => job.id)).toContain(id);

    const cancelled = await framepack(["cancel", id], server);
    expect(cancelled.stdout.trim()).toBe(`${id} cancelled`);
    const watched = await framepack(["watch", id], server);
    expect(watched.code).not.toBe(0);
    expect(watched.stderr).toContain(`job ${id} cancelled`);

    const unknown = await framepack(["watch", "no-such-job"], server);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("No job no-such-job.");
  });
});

describe("jobs with none to list", () => {
  it("says so, and which filter matched nothing", async () => {
    const service = await assembleEngineFreeService();
    const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const none = await framepack(["jobs", "--server", url]);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toBe("");
      expect(none.stderr).toContain("no jobs yet: submit one with `framepack image");
      const filtered = await framepack(["jobs", "--server", url, "--status", "failed"]);
      expect(filtered.stderr).toContain("no jobs match --status failed");
    } finally {
      await service.close();
    }
  });
});

describe("jobs filters", () => {
  it("--since, --until and --search (with --type) narrow the list as the API's do", async () => {
    const service = await assembleEngineFreeService();
    const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const ids = ["11111111-0000-4000-8000-000000000001", "22222222-0000-4000-8000-000000000002"];
      for (const [index, prompt] of ["a Lighthouse at dusk", "50% off_sale"].entries()) {
        await service.store.insert(storedImageRecord(ids[index] ?? "", prompt));
      }
      const today = new Date().toISOString().slice(0, 10);
      const found = await framepack(
        ["jobs", "--server", url, "--search", "LIGHTHOUSE", "--type", "image", "--since", today],
        {},
      );
      expect(found.code, found.stderr).toBe(0);
      const [, ...rows] = lines(found.stdout);
      expect(rows).toEqual([expect.stringMatching(/^11111111 .* a Lighthouse at dusk$/)]);
      const literal = await framepack(["jobs", "--server", url, "--search", "%", "--json"]);
      const page = JSON.parse(literal.stdout) as { jobs: { id: string }[] };
      expect(page.jobs.map((job) => job.id)).toEqual([ids[1]]);
      const none = await framepack(["jobs", "--server", url, "--until", today, "--search", "x y"]);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stderr).toContain(`no jobs match --until ${today} --search "x y"`);
      const bad = await framepack(["jobs", "--server", url, "--since", "last week"]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain("since");
    } finally {
      await service.close();
    }
  });
});

describe("framepack on the PATH", () => {
  it("npm install -g of the clone (as the README says) runs from any folder", async () => {
    const prefix = makeTempDir("cli-prefix");
    await promisify(execFile)(
      "npm",
      ["install", "-g", "--prefix", prefix, PROJECT_ROOT, "--offline", "--no-audit", "--no-fund"],
      { timeout: 60_000 },
    );
    const elsewhere = makeTempDir("cli-elsewhere");
    const { stdout } = await promisify(execFile)(join(prefix, "bin", "framepack"), ["--help"], {
      cwd: elsewhere,
    });
    expect(stdout).toContain("Usage: framepack");
  });
});

describe("the API key", () => {
  const key = "cli-test-key-0123456789abcdef0123456789";

  it("comes from FRAMEPACK_API_KEY and is never printed", async () => {
    const service = await assembleEngineFreeService({ apiKeys: [key] });
    const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const withKey = await framepack(["jobs"], { FRAMEPACK_SERVER: url, FRAMEPACK_API_KEY: key });
      expect(withKey.code, withKey.stderr).toBe(0);
      const without = await framepack(["jobs", "--server", url]);
      expect(without.code).not.toBe(0);
      expect(without.stderr).toContain(
        `the server at ${url} needs an API key: set FRAMEPACK_API_KEY or pass --api-key`,
      );
      expect(without.stderr).not.toContain("Bearer");
      const wrong = await framepack(["jobs", "--server", url], { FRAMEPACK_API_KEY: "wrong" });
      expect(wrong.stderr).toContain(
        `the server at ${url} does not accept this API key: check FRAMEPACK_API_KEY or --api-key`,
      );
      const flag = await framepack(["jobs", "--server", url, "--api-key", key]);
      expect(flag.code, flag.stderr).toBe(0);
      // The flag wins over the variable.
      const both = await framepack(["jobs", "--server", url, "--api-key", key], {
        FRAMEPACK_API_KEY: "wrong",
      });
      expect(both.code, both.stderr).toBe(0);
      for (const run of [withKey, without, wrong, flag, both])
        expect(run.stdout + run.stderr).not.toContain(key);
    } finally {
      await service.close();
    }
  });

  it("one a header cannot carry is refused without printing it", async () => {
    const run = await framepack(["jobs", "--server", "http://127.0.0.1:9"], {
      FRAMEPACK_API_KEY: `${key}\nsecond-line`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("The API key holds a character an HTTP header cannot carry");
    expect(run.stdout + run.stderr).not.toContain(key);
    expect(run.stdout + run.stderr).not.toContain("second-line");
  });

  it("is blanked out of any failure the CLI prints", () => {
    // What Node's Headers said of a key with a newline before the SDK checked keys.
    const error = new TypeError(`Headers.append: "Bearer ${key}" is an invalid header value.`, {
      cause: new Error(`quoting ${key} again`),
    });
    const printed = [describeFailure(error, key), JSON.stringify(failureEvent(error, key))];
    for (const text of printed) {
      expect(text).not.toContain(key);
      expect(text).toContain("<API key>");
    }
  });

  it("an unreachable server is named, with the reason and how to start one", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}`;
    const run = await framepack(["jobs", "--server", url]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`framepack: could not reach the server at ${url} (ECONNREFUSED).`);
    expect(run.stderr).toContain("`framepack serve`");
    expect(run.stderr).not.toContain("fetch failed");
    const json = await framepack(["jobs", "--server", url, "--json"]);
    expect(JSON.parse(lines(json.stdout).at(-1) ?? "null")).toMatchObject({
      event: "error",
      message: expect.stringContaining(`could not reach the server at ${url}`) as unknown,
    });
  });
});

describe("models", () => {
  it("passes through to the engine's tool with the configured model root", async () => {
    const root = inject("tinyModelRoot");
    const run = await framepack(["models", "list", "--json"], { FRAMEPACK_MODEL_ROOT: root });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ root, tiny: true });
  });

  it.each([
    ["SIGINT", 41],
    ["SIGTERM", 42],
  ] as const)(
    "passes %s on to the tool, waits for it and exits with its status",
    async (signal, status) => {
      // A stand-in for the engine's Python that says which signal reached it.
      const venv = makeTempDir("cli-venv");
      mkdirSync(join(venv, "bin"));
      const python = join(venv, "bin", "python");
      writeFileSync(
        python,
        [
          "#!/bin/sh",
          "trap 'echo tool got SIGINT >&2; exit 41' INT",
          "trap 'echo tool got SIGTERM >&2; exit 42' TERM",
          "echo ready",
          "while :; do sleep 0.05; done",
        ].join("\n"),
      );
      chmodSync(python, 0o755);
      const { child, run } = startFramepack(["models", "download"], {
        FRAMEPACK_ENGINE_VENV: venv,
      });
      await written(child, "ready");
      child.kill(signal); // the CLI alone, as `kill <pid>` does
      const ended = await run;
      expect(ended).toMatchObject({ code: status, signal: null });
      expect(ended.stderr).toContain(`tool got ${signal}`);
    },
  );
});

interface FakeJob {
  /** What GET /api/jobs/{id} answers and `done` carries. */
  record: Record<string, unknown>;
  /** Heartbeats only, never `done`: a job that runs on. */
  endless?: boolean;
}

/**
 * A stand-in for the service, served under /fp as a reverse proxy would and answering
 * only with the right key, for what the tiny engine cannot be made to do: a batch with
 * failed items, odd ids and output URLs, a job that runs on.
 */
async function startFakeService(key: string) {
  const jobs = new Map<string, FakeJob>();
  /** Output bodies by URL path; any other output answers 404. */
  const files = new Map<string, string>();
  /** Emits "events:<id>" when a client opens a job's event stream. */
  const opened = new EventEmitter();
  const submissions = { nextId: "" };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const refuse = (response: ServerResponse, status: number, message: string) => {
    send(response, status, { error: { code: "refused", message, details: [] } });
  };

  const answerJob = (id: string, events: boolean, response: ServerResponse): void => {
    const job = jobs.get(id);
    if (!job) {
      refuse(response, 404, "No such job.");
    } else if (!events) {
      send(response, 200, job.record);
    } else {
      response.writeHead(200, { "content-type": "text/event-stream" });
      opened.emit(`events:${id}`);
      if (!job.endless) {
        response.end(`id: 1\nevent: done\ndata: ${JSON.stringify(job.record)}\n\n`);
        return;
      }
      const heartbeat = setInterval(() => response.write(": heartbeat\n\n"), 100);
      response.on("close", () => {
        clearInterval(heartbeat);
      });
    }
  };

  const answer = (request: IncomingMessage, response: ServerResponse): void => {
    request.resume(); // the bodies are not needed
    const { pathname } = new URL(request.url ?? "/", "http://fake");
    const path = pathname.slice("/fp".length);
    const job = /^\/api\/jobs\/([^/]+)(\/events)?$/.exec(path);
    const file = files.get(path);
    if (!pathname.startsWith("/fp/")) refuse(response, 404, "Not under /fp.");
    else if (request.headers.authorization !== `Bearer ${key}`) refuse(response, 401, "A key.");
    else if (request.method === "POST" && path === "/api/batch-images") {
      send(response, 202, { job_id: submissions.nextId, status: "pending" });
    } else if (job) answerJob(decodeURIComponent(job[1] ?? ""), job[2] !== undefined, response);
    else if (file !== undefined) response.end(file);
    else refuse(response, 404, "No such output.");
  };

  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fp`,
    jobs,
    files,
    opened,
    submissions,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A job record as the CLI reads it. */
function fakeRecord(id: string, fields: Record<string, unknown>): Record<string, unknown> {
  const base = { id, type: "image", status: "completed", error: null, result: null };
  return { ...base, batch_progress: null, ...fields };
}

const fakeImage = (url: string) => ({ url, seed: 1, width: 8, height: 8 });

describe("against a stand-in for the service", () => {
  const key = "fake-service-key-0123456789";
  let fake: Awaited<ReturnType<typeof startFakeService>>;
  let env: Record<string, string>;
  /** Another origin, counting the requests it gets. */
  let elsewhere: { url: string; hits: number; close: () => Promise<unknown> };

  beforeAll(async () => {
    fake = await startFakeService(key);
    env = { FRAMEPACK_SERVER: fake.url, FRAMEPACK_API_KEY: key };
    const server = createServer((_request, response) => {
      elsewhere.hits += 1;
      response.end("stolen");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    elsewhere = {
      url: `http://127.0.0.1:${port}`,
      hits: 0,
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  });

  afterAll(async () => {
    await fake.close();
    await elsewhere.close();
  });

  it("a batch with failed items names them, saves the others' outputs and exits non-zero", async () => {
    const id = "fake:job 1";
    fake.submissions.nextId = id;
    fake.files.set("/api/outputs/b1/0.png", "image 0").set("/api/outputs/b1/2.png", "image 2");
    const item = (index: number, fields: Record<string, unknown>) => ({
      index,
      prompt: "abc"[index],
      seed: index + 1,
      ...fields,
    });
    const batch = {
      total: 3,
      completed: 2,
      failed: 1,
      items: [
        item(0, { status: "completed", error: null, url: "/api/outputs/b1/0.png" }),
        item(1, { status: "failed", error: "out of memory", url: null }),
        item(2, { status: "completed", error: null, url: "/api/outputs/b1/2.png" }),
      ],
    };
    const images = [fakeImage("/api/outputs/b1/0.png"), fakeImage("/api/outputs/b1/2.png")];
    // The server calls such a batch completed; its record's id is not what names files.
    fake.jobs.set(id, {
      record: fakeRecord("../../elsewhere", {
        type: "batch_image",
        result: { images, video: null },
        batch_progress: batch,
      }),
    });
    const out = join(makeTempDir("cli-fake"), "out");
    const prompts = ["-p", "a", "-p", "b", "-p", "c"];
    const run = await framepack(["batch", ...prompts, "--json", "--out", out], env);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("item 1 failed: out of memory");
    const events = lines(run.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toContainEqual({
      event: "item_failed",
      job_id: id,
      index: 1,
      prompt: "b",
      seed: 2,
      error: "out of memory",
    });
    // Named by the id the CLI was given, of safe characters only.
    const names = ["fake_job-0.png", "fake_job-2.png"];
    const paths = names.map((name) => join(out, name));
    expect(events).toContainEqual({ event: "outputs", job_id: id, paths });
    expect(readdirSync(out).sort()).toEqual(names);
    expect(readFileSync(join(out, "fake_job-2.png"), "utf8")).toBe("image 2");
    expect(events.at(-1)).toMatchObject({
      event: "error",
      job_id: id,
      message: `1 of 3 items of job ${id} failed`,
    });
  });

  it("downloads under the --server path, refuses other origins, keeps files there and says what it saved", async () => {
    const id = "w-1";
    fake.files.set("/api/outputs/w1/a.png", "new a").set("/api/outputs/w1/b.png", "new b");
    const images = [
      fakeImage("/api/outputs/w1/a.png"),
      fakeImage(`${elsewhere.url}/api/outputs/w1/a.png`),
      fakeImage("/api/outputs/w1/gone.png"),
      fakeImage("/api/outputs/w1/b.png"),
    ];
    fake.jobs.set(id, { record: fakeRecord(id, { result: { images, video: null } }) });
    const out = makeTempDir("cli-fake");
    writeFileSync(join(out, "w-1-a.png"), "older a"); // a different file by that name
    writeFileSync(join(out, "w-1-b.png"), "new b"); // the same bytes: taken as saved
    const run = await framepack(["watch", id, "--out", out], env);

    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toEqual([join(out, "w-1-a-1.png"), join(out, "w-1-b.png")]);
    expect(readFileSync(join(out, "w-1-a.png"), "utf8")).toBe("older a");
    expect(readFileSync(join(out, "w-1-a-1.png"), "utf8")).toBe("new a");
    expect(readdirSync(out).sort()).toEqual(["w-1-a-1.png", "w-1-a.png", "w-1-b.png"]);
    expect(elsewhere.hits).toBe(0);
    expect(run.stderr).toContain(
      `2 of 4 outputs of job ${id} could not be downloaded (the 2 saved are listed on stdout)`,
    );
    expect(run.stderr).toContain(`Refusing to download ${elsewhere.url}/api/outputs/w1/a.png`);
    expect(run.stderr).toContain("/api/outputs/w1/gone.png: No such output. (HTTP 404");
  });

  it("Ctrl-C leaves the job running, says how to follow it again and exits 130", async () => {
    const id = "run-1";
    fake.jobs.set(id, { record: fakeRecord(id, { status: "processing" }), endless: true });
    const out = join(makeTempDir("cli-fake"), "out");
    const { child, run } = startFramepack(["watch", id, "--out", out], env);
    const ended = run.then((early) => {
      throw new Error(`the CLI ended before following the job: ${early.stderr}`);
    });
    await Promise.race([once(fake.opened, `events:${id}`), ended]);
    ended.catch(() => undefined);
    child.kill("SIGINT");
    const interrupted = await run;

    expect(interrupted).toMatchObject({ code: 130, signal: null });
    // With the --server it was given (not the default) and its --out.
    expect(interrupted.stderr).toContain(
      `job ${id} continues on the server; \`framepack watch ${id} --server ${fake.url} --out ${out}\` to follow it`,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe("following a job", () => {
  const quiet: JobReporter = {
    submitted: () => undefined,
    event: () => undefined,
    itemFailed: () => undefined,
    outputs: () => undefined,
    stop: () => undefined,
  };

  it("names the job and how to follow it again when its event stream stays lost", async () => {
    async function* lostAfterOneEvent(): AsyncGenerator<JobStreamEvent> {
      const status = { id: 5, event: "status", data: { status: "processing" } } as const;
      yield await Promise.resolve(status);
      throw new EventStreamLostError("j-1", 5, new Error("fetch failed"));
    }
    const client = { events: lostAfterOneEvent } as unknown as FramePackClient;
    await expect(
      followJob({ client, reporter: quiet, out: undefined }, "j-1"),
    ).rejects.toMatchObject({
      jobId: "j-1",
      message:
        "lost the event stream of job j-1: fetch failed; the job continues on the server: `framepack watch j-1` continues following it",
    });
  });
});

describe("the progress bar's state", () => {
  const progress = (phase: string, step: number, total: number, info: string) =>
    ({ phase, step, total, info, progress: total ? step / total : 0 }) as ProgressData;

  it("follows a video's steps over all its sections in one bar, decoding in between", () => {
    const state = new ProgressBarState({ batch: false });
    const views = [
      state.update(progress("loading", 0, 1, "Loading models"), 0),
      state.update(progress("sampling", 1, 6, "section 1 of 2: step 1 of 3"), 1000),
      state.update(progress("sampling", 3, 6, "section 1 of 2: step 3 of 3"), 3000),
      state.update(progress("decoding", 1, 2, "Decoding section 1 of 2"), 3500),
      state.update(progress("sampling", 4, 6, "section 2 of 2: step 1 of 3"), 4000),
      state.update(progress("sampling", 6, 6, "section 2 of 2: step 3 of 3"), 6000),
    ];
    expect(views.map((view) => view.restart)).toEqual([false, false, false, false, false, false]);
    expect(views.map((view) => [view.value, view.total])).toEqual([
      [0, 0],
      [1, 6],
      [3, 6],
      [3, 6],
      [4, 6],
      [6, 6],
    ]);
    expect(views.map((view) => view.texts.steps)).toEqual([
      "",
      " 1/6",
      " 3/6",
      " 3/6",
      " 4/6",
      " 6/6",
    ]);
    expect(views[3]?.texts).toMatchObject({ phase: "decoding", section: " section 1/2" });
    // No ETA before a step was timed, nor at the end; else from the pace so far.
    expect(views.map((view) => view.texts.timeLeft)).toEqual([
      "",
      "",
      " | ETA 3s",
      " | ETA 4s",
      " | ETA 2s",
      "",
    ]);
  });

  it("starts a new bar, and a new ETA, when the steps start again", () => {
    const state = new ProgressBarState({ batch: true });
    state.update(progress("sampling", 1, 4, "batch 1 of 2: step 1 of 2"), 0);
    state.update(progress("sampling", 4, 4, "batch 2 of 2: step 2 of 2"), 3000);
    const next = state.update(progress("sampling", 1, 2, "step 1 of 2"), 4000);
    expect(next).toMatchObject({ restart: true, value: 1, total: 2 });
    expect(next.texts.timeLeft).toBe("");
    expect(next.texts.batch).toBe(" | batch 50%");
  });

  it("says how long in seconds, minutes or hours", () => {
    expect([42_000, 185_000, 3_720_000].map(formatDuration)).toEqual(["42s", "3m05s", "1h02m"]);
  });
});
