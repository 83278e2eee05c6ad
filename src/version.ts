// The service version: package.json's, from src/ (tests) or dist/src/ (npm start).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./paths.js";

const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  version: string;
};

export const SERVICE_VERSION: string = packageJson.version;
