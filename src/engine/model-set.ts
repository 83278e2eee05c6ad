// Which model set the engines serve: the configured real weights, or the tiny
// random-weight demo set, generated on first use into the data directory.
import { execFile } from "node:child_process";
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

export const TINY_NOTICE =
  "Serving the TINY RANDOM-WEIGHT demo model set: its pictures are noise; it exists to try the API. Set FRAMEPACK_MODEL_ROOT to real weights.";

/**
 * Returns the model root to serve. Whether it is the tiny set is the engine's word
 * (its hello reads the set's marker file), not ours.
 */
export async function prepareModelRoot(options: ModelSetOptions): Promise<string> {
  if (options.modelRoot !== null) return options.modelRoot;
  const root = join(options.dataDir, "models-tiny");
  options.logger.info({ modelRoot: root }, "no FRAMEPACK_MODEL_ROOT: preparing the tiny demo set");
  await writeTinyModelSet(options.python, options.engineDir, root);
  return root;
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
