// Writes docs/benchmarks.md from real runs, never by hand: runs the API benchmark and
// the engine benchmark (CPU, tiny set), saves their JSON lines and the machine they ran
// on under bench/results/, and renders every figure with the command that produced it,
// the machine and the date. GPU figures come from the newest bench/results/gpu-*.jsonl
// (saved by bench/gpu/run.sh on a GPU machine), when there is one.
//
// Usage: npm run bench:doc [-- --reuse]   (--reuse: render the saved results, run nothing)
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import * as prettier from "prettier";

const ROOT = join(import.meta.dirname, "..");
const RESULTS = join(ROOT, "bench", "results");
const DOC = join(ROOT, "docs", "benchmarks.md");
const MACHINE_FILE = join(RESULTS, "machine.json");
const PYTHON = join(ROOT, "engine", ".venv", "bin", "python");

const RUNS = [
  {
    title: "API and queue",
    command: "npm run bench:api",
    npmScript: "bench:api",
    file: "api.jsonl",
    about:
      "The service (compiled, the wiring of src/service.ts) in its own process on loopback, " +
      "around a stand-in engine that holds its first job: the pool is busy and every " +
      "submission waits in the queue, so these figures are the HTTP + store + queue path. " +
      "Stored jobs are written through the store's API (finished image jobs).",
  },
  {
    title: "Engine on the CPU (tiny model set)",
    command: "npm run bench:engine",
    npmScript: "bench:engine",
    file: "engine-cpu.jsonl",
    about:
      "bench/engine_bench.py with the tiny test configuration on the CPU: checks the " +
      "benchmark end to end; the absolute figures say nothing about a GPU.",
  },
  {
    title: "Videos that yield between sections",
    command: "npm run bench:yield",
    npmScript: "bench:yield",
    file: "video-yield.jsonl",
    about:
      "bench/video-yield-bench.mjs: the compiled service with one real engine on the tiny " +
      "set (CPU), once with FRAMEPACK_PREEMPT=off and once with sections. A video of 6 " +
      "sections runs; once it is into its first section an image with priority 10 arrives. " +
      "Its wait (submission to start) in seconds and in the video's sections sampled " +
      "meanwhile, and the video's total time.",
  },
  {
    title: "Section checkpoints",
    command: "npm run bench:checkpoint",
    npmScript: "bench:checkpoint",
    file: "checkpoint.jsonl",
    about:
      "bench/checkpoint_bench.py: one video's checkpoint written after each section at the " +
      "640 bucket (608x640, lws 9; docs/framepack.md §7.9). Its size depends only on shapes " +
      "the tiny set shares with the full model, so the bytes hold for the full size; the " +
      "time is torch.save + fsync + rename on this machine's disk. About 154 MB of it are the " +
      "33 float32 frames the next section cross-fades with; each finished frame adds 1.17 MB " +
      "(uint8), so a 60 s video's last checkpoint is about 2.2 GB.",
  },
  {
    title: "Cluster mode: claims and agents",
    command: "npm run bench:cluster",
    npmScript: "bench:cluster",
    file: "cluster.jsonl",
    about:
      "bench/cluster-bench.mjs on a throwaway PostgreSQL 15 (scripts/postgres-server.mjs, " +
      "fsync off): one claim as an agent makes it (candidates, the scheduler's pick, the " +
      "conditional UPDATE) with 10k jobs pending of 5 API keys, then 8 claimers at once; " +
      "then 200 jobs through 1, 2 and 4 agents (src/cluster/agent.ts, one stand-in engine " +
      "each that finishes a run in 50 ms), side by side with the scaling ratio. Everything " +
      "shares the machine's 2 cores with PostgreSQL.",
  },
  {
    title: "Cluster mode: job events across replicas",
    command: "npm run bench:events",
    npmScript: "bench:events",
    file: "events.jsonl",
    about:
      "bench/event-lag-bench.mjs: two durable event hubs (two replicas' worth) on one " +
      "throwaway PostgreSQL; status events published on A, the time until B's subscriber " +
      "has each, for 1, 20 and 100 jobs followed at once.",
  },
];

// Fields shown in a figure's "setting" column, when a line has them.
const SETTING_FIELDS = [
  "preempt",
  "sections",
  "video_seconds",
  "connections",
  "stored_jobs",
  "rounds",
  "clients",
  "events",
  "delivered",
  "expected",
  "non_2xx",
  "errors",
  "mode",
  "batch",
  "timed_steps",
  "batch_over_singles",
  "peak_tflops",
  "fraction_of_peak",
  "pending",
  "claimers",
  "agents",
  "run_ms",
  "scaling_vs_one_agent",
  "jobs",
  "events_per_second",
];
const DESIGN_BUDGETS = [
  {
    text: "job submission p50 under 2 ms (one client)",
    figure: (figures) => find(figures, "submit_latency_p50_ms", { connections: 1 }),
    holds: (value) => value < 2,
  },
  {
    text: "thousands of submissions per second (10 clients)",
    figure: (figures) => find(figures, "submit_per_s", { connections: 10 }),
    holds: (value) => value >= 1000,
  },
  {
    text: "server memory with 100k stored jobs well under 300 MB",
    figure: (figures) => find(figures, "rest_rss_bytes", { stored_jobs: 100_000 }),
    holds: (value) => value < 300e6,
  },
];

const say = (text) => process.stderr.write(`[bench-doc] ${text}\n`);

function find(figures, metric, fields) {
  return figures.find(
    (figure) =>
      figure.metric === metric &&
      Object.entries(fields).every(([key, value]) => figure[key] === value),
  );
}

// --- running ---------------------------------------------------------------------------------

/** Runs `npm run <script>`, passing stderr through; resolves with its stdout. */
function runNpmScript(script) {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`npm run ${script} exited with ${String(code)}`));
    });
  });
}

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

function osName() {
  const osRelease = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
  return `${pretty ?? process.platform}, kernel ${release()}`;
}

function describeMachine(loadAtStart) {
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    os: osName(),
    node: process.version,
    python: commandOutput(PYTHON, ["--version"]),
    commit: commandOutput("git", ["rev-parse", "--short", "HEAD"]),
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => value.toFixed(2)) },
  };
}

async function runBenchmarks() {
  mkdirSync(RESULTS, { recursive: true });
  const loadAtStart = loadavg().map((value) => value.toFixed(2));
  for (const run of RUNS) {
    say(`running ${run.command}`);
    writeFileSync(join(RESULTS, run.file), await runNpmScript(run.npmScript));
  }
  await writeFormatted(MACHINE_FILE, JSON.stringify(describeMachine(loadAtStart)));
}

// --- reading ---------------------------------------------------------------------------------

function readFigures(path) {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

/** The newest GPU run saved by bench/gpu/run.sh (names sort by their UTC time). */
function newestGpuResults() {
  if (!existsSync(RESULTS)) return undefined;
  const names = readdirSync(RESULTS).filter((name) => /^gpu-.*\.jsonl$/.test(name));
  return names.sort().at(-1);
}

// --- rendering -------------------------------------------------------------------------------

const significant = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });

function formatValue(value, unit) {
  if (typeof value !== "number") return "n/a";
  if (unit === "bytes") return `${significant.format(value / 2 ** 20)} MiB`;
  return `${significant.format(value)} ${unit}`;
}

function setting(figure) {
  const parts = [];
  if (figure.width !== undefined) parts.push(`${figure.width}x${figure.height}`);
  for (const key of SETTING_FIELDS) {
    const value = figure[key];
    if (value === undefined || value === null) continue;
    parts.push(
      `${key.replaceAll("_", " ")} ${typeof value === "number" ? significant.format(value) : value}`,
    );
  }
  return parts.join(", ");
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function figuresTable(figures) {
  const rows = figures
    .filter((figure) => figure.metric !== "summary")
    .map((figure) => [
      `\`${figure.metric}\``,
      formatValue(figure.value, figure.unit),
      setting(figure) + (figure.note ? ` (${figure.note})` : ""),
      figure.load_avg_1m === undefined ? "" : String(figure.load_avg_1m),
    ]);
  return table(["Figure", "Value", "Setting", "Load (1 min)"], rows);
}

/** Figures measured at several store sizes side by side: they should stay flat. */
function storeSizeTable(figures) {
  const perSize = figures.filter((figure) => figure.stored_jobs !== undefined);
  const sizes = [...new Set(perSize.map((figure) => figure.stored_jobs))].sort((a, b) => a - b);
  const metrics = [...new Set(perSize.map((figure) => figure.metric))].filter(
    (metric) => perSize.filter((figure) => figure.metric === metric).length === sizes.length,
  );
  if (sizes.length < 2) return "";
  const rows = metrics.map((metric) => [
    `\`${metric}\``,
    ...sizes.map((size) => {
      const figure = find(perSize, metric, { stored_jobs: size });
      return formatValue(figure?.value, figure?.unit);
    }),
  ]);
  const header = ["Figure", ...sizes.map((size) => `${significant.format(size)} jobs`)];
  return `By store size (the point: flat):\n\n${table(header, rows)}\n`;
}

function budgetsTable(figures) {
  const rows = DESIGN_BUDGETS.map((budget) => {
    const figure = budget.figure(figures);
    const verdict =
      figure === undefined ? "not measured" : budget.holds(figure.value) ? "met" : "missed";
    return [budget.text, formatValue(figure?.value, figure?.unit), verdict];
  });
  return `Against the performance budgets of the design document:\n\n${table(["Budget", "Measured", ""], rows)}\n`;
}

function machineSection(machine) {
  const rows = [
    ["Date", machine.date],
    ["CPU", `${machine.cpu}, ${machine.cores} cores`],
    ["Memory", `${machine.memoryGiB} GiB`],
    ["OS", machine.os],
    ["Node.js", machine.node],
    ["Python (engine)", machine.python],
    ["Commit", machine.commit],
    [
      "Load average (1, 5, 15 min)",
      `${machine.loadAverage.atStart.join(", ")} at the start, ${machine.loadAverage.atEnd.join(", ")} at the end`,
    ],
  ];
  return `## Machine\n\n${table(["", ""], rows)}\n`;
}

function runSection(run, machine) {
  const figures = readFigures(join(RESULTS, run.file));
  const summary = figures.find((figure) => figure.metric === "summary");
  // A benchmark run on its own (not by this script) dates its figures itself.
  const date = figures.find((figure) => typeof figure.date === "string")?.date ?? machine.date;
  const extra =
    run.file === "api.jsonl" ? `\n${storeSizeTable(figures)}\n${budgetsTable(figures)}` : "";
  return [
    `## ${run.title}`,
    "",
    `Command: \`${run.command}\` — run ${date} on the machine above` +
      (summary ? `, ${significant.format(summary.value)} s in all` : "") +
      `. Raw lines: [bench/results/${run.file}](../bench/results/${run.file}).`,
    "",
    run.about,
    "",
    figuresTable(figures),
    extra,
  ].join("\n");
}

function gpuSection() {
  const name = newestGpuResults();
  const heading = "## Engine on a GPU (full size, random weights)";
  if (name === undefined) {
    return `${heading}\n\nNo GPU run is recorded yet. On a CUDA machine, \`bench/gpu/run.sh\` (or \`npm run bench:gpu\`) builds the full-size transformer with random weights on the device, installs and downloads nothing, and saves its figures to \`bench/results/gpu-<UTC time>.jsonl\`; commit that file and run \`npm run bench:doc -- --reuse\` to show them here.\n`;
  }
  const figures = readFigures(join(RESULTS, name));
  const first = figures[0] ?? {};
  return [
    heading,
    "",
    `Command: \`bench/gpu/run.sh\` — ${first.config ?? "?"} configuration on ${first.device ?? "?"} (${first.dtype ?? "?"}, torch ${first.torch ?? "?"}), run ${name.slice(4, -6)}. Raw lines: [bench/results/${name}](../bench/results/${name}).`,
    "",
    figuresTable(figures),
    "",
  ].join("\n");
}

function render(machine) {
  return [
    "# Benchmarks",
    "",
    "<!-- Generated by scripts/benchmarks-doc.mjs (npm run bench:doc); do not edit by hand. -->",
    "",
    "Every figure below comes from the command named in its section, run on the machine " +
      "described here; `npm run bench:doc` reruns them and rewrites this page. The machine " +
      "is shared (2 cores, other work running), so figures are noisy: each row shows the " +
      "1-minute load average when it was taken.",
    "",
    machineSection(machine),
    ...RUNS.map((run) => runSection(run, machine)),
    gpuSection(),
  ].join("\n");
}

/** Writes `text` as prettier formats it, so `npm run lint` accepts the generated files. */
async function writeFormatted(path, text) {
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
}

async function main() {
  if (!process.argv.includes("--reuse")) await runBenchmarks();
  const machine = JSON.parse(readFileSync(MACHINE_FILE, "utf8"));
  mkdirSync(join(ROOT, "docs"), { recursive: true });
  await writeFormatted(DOC, render(machine));
  say(`wrote ${DOC}`);
}

await main();
