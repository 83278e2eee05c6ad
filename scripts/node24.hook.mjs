// Loaded (NODE_OPTIONS=--import) into every Node process of the Node 24 test run that
// scripts/node24.mjs starts: the test workers and the services and CLIs they spawn.
// node_modules/ holds better-sqlite3 compiled for the host Node (20); a native module
// loads only into the Node ABI it was built for, and better-sqlite3 finds its binary
// through `bindings`, which tries build/Release first and throws on a foreign ABI.
// So imports and requires that resolve into node_modules/better-sqlite3/ are sent to
// the copy compiled for Node 24 in .tmp/node24/ instead; the project's own code and
// node_modules stay as they are. A no-op in a Node whose ABI is not that copy's.
import { existsSync, readFileSync } from "node:fs";
import * as module from "node:module";

const root = new URL("..", import.meta.url);
const stampPath = new URL(".tmp/node24/better-sqlite3.json", root);
const stamp = existsSync(stampPath) ? JSON.parse(readFileSync(stampPath, "utf8")) : null;

if (stamp && stamp.abi === process.versions.modules && typeof module.registerHooks === "function") {
  const from = new URL("node_modules/better-sqlite3/", root).href;
  const to = new URL(".tmp/node24/node_modules/better-sqlite3/", root).href;
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      return resolved.url.startsWith(from)
        ? { ...resolved, url: to + resolved.url.slice(from.length) }
        : resolved;
    },
  });
}
