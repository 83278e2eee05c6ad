// Which model set the engines serve: the configured model root, else the real weights that
// `framepack models download` put into the data directory once they are complete, else the
// tiny random-weight demo set, generated on first use into the data directory.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "pino";

const execFileAsync = promisify(execFile);

export interface ModelSetOptions {
  modelRoot: string | null;
  dataDir: string;
  python: string;
  engineDir: string;
  logger: Logger;
}

/** What the user runs to fetch the real weights into the default model root. */
export const DOWNLOAD_COMMAND = "npx framepack models download";

export const TINY_NOTICE = `Serving the TINY RANDOM-WEIGHT demo model set: its pictures are noise; it exists to try the API. Fetch the real weights with \`${DOWNLOAD_COMMAND}\` (used from the next start), or set FRAMEPACK_MODEL_ROOT to a model root that has them.`;

/** Where `models download` writes and the service looks when FRAMEPACK_MODEL_ROOT is unset. */
export function defaultModelRoot(dataDir: string): string {
  return join(dataDir, "models");
}

/** The model root the `models` commands act on: the configured one, else the default. */
export function modelRootFor(config: { modelRoot: string | null; dataDir: string }): string {
  return config.modelRoot ?? defaultModelRoot(config.dataDir);
}

/** `models verify --json`: where each component would load from and what is missing. */
export interface ModelRootReport {
  root: string;
  complete: boolean;
  tiny: boolean;
  /** Root-relative paths the required components lack. */
  missing: string[];
  /** What the optional F1 transformer lacks (forward videos need it). */
  optional_missing: string[];
  components: { role: string; dir: string; source: "root" | "cache" | "missing" }[];
}

/**
 * Returns the model root to serve. Whether it is the tiny set is the engine's word
 * (its hello reads the set's marker file), not ours.
 */
export async function prepareModelRoot(options: ModelSetOptions): Promise<string> {
  const { logger } = options;
  if (options.modelRoot !== null) {
    const report = await verifyModelRoot(options.python, options.engineDir, options.modelRoot);
    if (!report.complete) {
      throw new Error(
        `FRAMEPACK_MODEL_ROOT=${options.modelRoot} is incomplete; missing: ${report.missing.join(", ")}. ` +
          `Fetch the real weights with \`${DOWNLOAD_COMMAND}\`, or point FRAMEPACK_MODEL_ROOT at a complete model root.`,
      );
    }
    warnOptionalMissing(report, logger);
    return options.modelRoot;
  }
  const downloaded = defaultModelRoot(options.dataDir);
  const report = await verifyModelRoot(options.python, options.engineDir, downloaded);
  if (report.complete) {
    logger.info({ modelRoot: downloaded }, "serving the model set in the data directory");
    warnOptionalMissing(report, logger);
    return downloaded;
  }
  if (existsSync(downloaded)) {
    logger.warn(
      { modelRoot: downloaded, missing: report.missing.length, first: report.missing.slice(0, 3) },
      `the downloaded model set is incomplete: serving the tiny demo set; \`${DOWNLOAD_COMMAND}\` continues the download`,
    );
  }
  const tiny = join(options.dataDir, "models-tiny");
  logger.info({ modelRoot: tiny }, "no real weights: preparing the tiny demo set");
  await writeTinyModelSet(options.python, options.engineDir, tiny);
  return tiny;
}

function warnOptionalMissing(report: ModelRootReport, logger: Logger): void {
  if (report.optional_missing.length === 0) return;
  logger.warn(
    { modelRoot: report.root, missing: report.optional_missing },
    `no F1 transformer: forward (F1) videos will fail; \`${DOWNLOAD_COMMAND} --variant f1\` fetches it`,
  );
}

/** Runs the engine's `models verify --json` (no torch import: about a second). */
export async function verifyModelRoot(
  python: string,
  engineDir: string,
  root: string,
): Promise<ModelRootReport> {
  const args = ["-m", "framepack_engine", "models", "verify", "--model-root", root, "--json"];
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(python, args, { cwd: engineDir }));
  } catch (error) {
    // Exit 1 means incomplete and still prints the report; anything else is a failure.
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code !== 1 || !failed.stdout) {
      throw new Error(`could not check the model root ${root}: ${failed.stderr?.trim() ?? ""}`, {
        cause: error,
      });
    }
    stdout = failed.stdout;
  }
  return JSON.parse(stdout) as ModelRootReport;
}

/** Writes the tiny set with the engine's own generator; a complete set is left as it is. */
export async function writeTinyModelSet(
  python: string,
  engineDir: string,
  root: string,
): Promise<void> {
  try {
    await execFileAsync(python, ["-m", "framepack_engine", "tiny-models", "--out", root], {
      cwd: engineDir,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`could not write the tiny model set to ${root}: ${stderr.trim()}`, {
      cause: error,
    });
  }
}
