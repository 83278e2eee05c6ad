// Writes the tiny model set once per run of the suite; the directory name carries a
// hash of the generator's source, so a changed generator never reuses a stale set.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { enginePython, loadConfig } from "../src/config.js";
import { writeTinyModelSet } from "../src/engine/model-set.js";
import { PROJECT_ROOT } from "../src/paths.js";

declare module "vitest" {
  export interface ProvidedContext {
    tinyModelRoot: string;
  }
}

const GENERATOR_SOURCES = ["weights/tiny.py", "weights/layout.py", "conditioning/image.py"];

export default async function setup(project: TestProject): Promise<void> {
  const config = loadConfig({});
  const hash = createHash("sha256");
  for (const source of GENERATOR_SOURCES) {
    hash.update(readFileSync(join(config.engineDir, "framepack_engine", source)));
  }
  const root = join(process.cwd(), ".tmp", `tiny-models-${hash.digest("hex").slice(0, 12)}`);
  await writeTinyModelSet(enginePython(config), config.engineDir, root);
  project.provide("tinyModelRoot", root);
  // Tests that run the service as `npm start` does use the compiled build.
  await promisify(execFile)(join(PROJECT_ROOT, "node_modules", ".bin", "tsc"), [
    "-p",
    join(PROJECT_ROOT, "tsconfig.build.json"),
  ]);
}
