// Brings a checkout up to date for `npm start` and `npm test`, using only Node's
// standard library so that it runs on a fresh clone before any npm install:
//   1. npm packages (npm ci) when package-lock.json changed since the last install,
//   2. the engine's Python environment (scripts/engine-env.sh, itself idempotent),
//   3. with --build, the compiled service in dist/ and the web UI in dist/web,
//   4. with --test, the web UI, the API fuzzer's environment (scripts/tool-env.sh fuzz,
//      idempotent too), the S3 stand-in's (scripts/tool-env.sh moto, likewise), Debian's
//      Chromium for the browser tests, the pinned Node 24 that `npm run
//      test:ts:node24` runs the suite under (scripts/node24.mjs, idempotent; it keeps
//      to .tmp/node24 and leaves node_modules as the host Node built it), and Debian's
//      PostgreSQL server for the cluster tests (scripts/postgres-server.mjs).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePostgresInstalled } from "./postgres-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const say = (text) => process.stderr.write(`[setup] ${text}\n`);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    say(`'${command} ${args.join(" ")}' failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function ensureNodeModules() {
  const lock = readFileSync(join(root, "package-lock.json"));
  const want = createHash("sha256").update(lock).update(process.version).digest("hex");
  const stamp = join(root, "node_modules", ".framepack-stamp");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  say("installing npm packages (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  writeFileSync(stamp, want);
}

ensureNodeModules();
run("bash", [join(root, "scripts", "engine-env.sh")]);
const building = process.argv.includes("--build");
const testing = process.argv.includes("--test");
if (testing) run("bash", [join(root, "scripts", "tool-env.sh"), "fuzz"]); // schemathesis, for test/fuzz.test.ts
if (testing) run("bash", [join(root, "scripts", "tool-env.sh"), "moto"]); // the S3 stand-in (scripts/moto-server.mjs)
if (building) {
  say("compiling the service");
  run(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"]);
  // `npx framepack` runs the package's bin directly: it must be executable.
  chmodSync(join(root, "dist", "src", "cli", "main.js"), 0o755);
}
if (building || testing) {
  say("building the web UI");
  run(join(root, "node_modules", ".bin", "vite"), ["build", "web", "--logLevel", "warn"]);
}
if (testing) {
  run("bash", [join(root, "scripts", "chromium.sh")]);
  ensurePostgresInstalled();
  run(process.execPath, [join(root, "scripts", "node24.mjs"), "prepare"]);
}
