// A throwaway PostgreSQL for tests and benchmarks (docs/cluster.md): Debian's server
// binaries, `initdb` into a temporary folder and `pg_ctl` on a free port of 127.0.0.1,
// run as an unprivileged user (PostgreSQL refuses root: as root it runs as `postgres`).
// As a module: `startPostgres()` gives { url, stop }. As a command: starts one, prints
// its URL and stops it on SIGINT/SIGTERM.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { freePort } from "./free-port.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SERVER_USER = "postgres";

/** The newest installed server's bin folder, or undefined when none is installed. */
export function postgresBinDir() {
  if (process.env.FRAMEPACK_PG_BIN) return process.env.FRAMEPACK_PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : undefined;
}

/**
 * Installs Debian's server package when no PostgreSQL is there (as root, or through sudo
 * as chromium.sh does). `npm test`'s setup calls it once, before test files start servers
 * in parallel (two apt-get runs at once would fight over dpkg's lock).
 */
export function ensurePostgresInstalled() {
  if (postgresBinDir()) return;
  const root = process.getuid?.() === 0;
  const [command, prefix] = root ? ["apt-get", []] : ["sudo", ["apt-get"]];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  process.stderr.write("[postgres] installing Debian's postgresql package\n");
  execFileSync(command, [...prefix, "update", "-qq"], { stdio: "inherit", env });
  execFileSync(command, [...prefix, "install", "-y", "-qq", "postgresql"], {
    stdio: "inherit",
    env,
  });
  if (!postgresBinDir()) throw new Error("PostgreSQL is still missing after apt-get install");
}

/** Runs a server binary, as `postgres` when we are root. */
function runAsServerUser(bin, args) {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ["runuser", ["-u", SERVER_USER, "--", bin, ...args]]
    : [bin, args];
  const run = spawnSync(command, argv, { encoding: "utf8" });
  if (run.status !== 0) {
    throw new Error(`${bin} ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
  }
}

/**
 * Starts a fresh server (trust authentication on 127.0.0.1 only, fsync off: a test
 * database need not survive a power cut) with a database `framepack`. `extraAddress`
 * (with `trustedSubnet`): one more address to listen on, and the subnet allowed to
 * connect there (a network namespace's link, test/helpers/netns.ts).
 */
export async function startPostgres({ extraAddress, trustedSubnet } = {}) {
  ensurePostgresInstalled();
  const bin = postgresBinDir();
  const folder = mkdtempSync(join(tmpdir(), "framepack-pg-"));
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds(SERVER_USER);
    chownSync(folder, uid, gid);
  }
  const data = join(folder, "data");
  runAsServerUser(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "framepack",
    "-A",
    "trust",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  if (trustedSubnet) {
    appendFileSync(join(data, "pg_hba.conf"), `host all all ${trustedSubnet} trust\n`);
  }
  const port = await freePort();
  const addresses = ["127.0.0.1", ...(extraAddress ? [extraAddress] : [])].join(",");
  const options = `-c listen_addresses=${addresses} -p ${port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -k ${folder} -c max_connections=200`;
  runAsServerUser(join(bin, "pg_ctl"), [
    "-D",
    data,
    "-o",
    options,
    "-l",
    join(folder, "log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  const createDatabase = (name) => {
    runAsServerUser(join(bin, "createdb"), [
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-U",
      "framepack",
      name,
    ]);
    return `postgres://framepack@127.0.0.1:${port}/${name}`;
  };
  const url = createDatabase("framepack");
  let stopped = false;
  return {
    url,
    port,
    /** A further empty database on the same server; its URL. */
    createDatabase,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAsServerUser(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

function userIds(name) {
  const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
  return { uid, gid };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startPostgres();
  console.log(server.url);
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
