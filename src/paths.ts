// Where the project's own files are, whether this code runs from src/ (tests) or
// from the compiled dist/src/ (npm start).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "protocol"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root above ${start}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
