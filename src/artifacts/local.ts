// Artifacts in a local directory: <root>/<jobId>/inputs/* and <root>/<jobId>/outputs/*.
// Keys are "<jobId>/<file>" for outputs; job ids are server-made UUIDs, file names come
// from the engine, and every key is checked to stay inside the root.
import { copyFile, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { ArtifactStore, JobFolder } from "./types.js";

/** A job id or file name: no separators, no leading dot (hidden and temporary files). */
export const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The engine writes each output to ".<name>.<random>.tmp" and renames it when whole. */
const PARTIAL_OUTPUT = /^\..+\.tmp$/;

export class LocalArtifactStore implements ArtifactStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  async outputDir(jobId: string): Promise<string> {
    const dir = join(this.#jobDir(jobId), "outputs");
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async writeInput(jobId: string, name: string, data: Buffer): Promise<string> {
    if (!SAFE_SEGMENT.test(name)) throw new Error(`unsafe input name ${name}`);
    const dir = join(this.#jobDir(jobId), "inputs");
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await writeFile(path, data);
    return path;
  }

  inputPathOf(jobId: string, name: string): string | undefined {
    if (!SAFE_SEGMENT.test(jobId) || !SAFE_SEGMENT.test(name)) return undefined;
    return join(this.#jobDir(jobId), "inputs", name);
  }

  readableInput(jobId: string, name: string): Promise<string | undefined> {
    return Promise.resolve(this.inputPathOf(jobId, name));
  }

  readableOutput(key: string): Promise<string | undefined> {
    return Promise.resolve(this.pathOf(key));
  }

  keyOf(jobId: string, absolutePath: string): string | undefined {
    const outputs = join(this.#jobDir(jobId), "outputs");
    const resolved = resolve(absolutePath);
    if (dirname(resolved) !== outputs) return undefined;
    return `${jobId}/${basename(resolved)}`;
  }

  pathOf(key: string): string | undefined {
    const [jobId, file, ...rest] = key.split("/");
    if (rest.length || !jobId || !file || !SAFE_SEGMENT.test(jobId) || !SAFE_SEGMENT.test(file)) {
      return undefined;
    }
    const path = join(this.#root, jobId, "outputs", file);
    return relative(this.#root, path).startsWith(`..${sep}`) ? undefined : path;
  }

  async copyInputs(fromJobId: string, toJobId: string): Promise<Map<string, string>> {
    const from = join(this.#jobDir(fromJobId), "inputs");
    const names = (await readdir(from).catch(() => [] as string[])).filter((name) =>
      SAFE_SEGMENT.test(name),
    );
    const to = join(this.#jobDir(toJobId), "inputs");
    await mkdir(to, { recursive: true });
    const copies = new Map<string, string>();
    for (const name of names) {
      await copyFile(join(from, name), join(to, name));
      copies.set(join(from, name), join(to, name));
    }
    return copies;
  }

  async copyOutputToInput(
    fromJobId: string,
    outputName: string,
    toJobId: string,
    inputName: string,
  ): Promise<string | undefined> {
    const from = this.pathOf(`${fromJobId}/${outputName}`);
    if (!from || !SAFE_SEGMENT.test(inputName)) throw new Error("unsafe output or input name");
    const to = join(this.#jobDir(toJobId), "inputs");
    await mkdir(to, { recursive: true });
    try {
      await copyFile(from, join(to, inputName));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    return join(to, inputName);
  }

  /** Absolute paths of the job's finished outputs (no hidden temp file), by name. */
  async finishedOutputs(jobId: string): Promise<string[]> {
    const dir = join(this.#jobDir(jobId), "outputs");
    const names = await readdir(dir).catch(() => [] as string[]);
    return names
      .filter((name) => SAFE_SEGMENT.test(name))
      .sort()
      .map((name) => join(dir, name));
  }

  async removePartialOutputs(jobId: string): Promise<void> {
    const dir = join(this.#jobDir(jobId), "outputs");
    const names = await readdir(dir).catch(() => [] as string[]);
    const partial = names.filter((name) => PARTIAL_OUTPUT.test(name));
    await Promise.all(partial.map((name) => rm(join(dir, name), { force: true })));
  }

  checkpointDir(jobId: string): string {
    return join(this.#jobDir(jobId), "checkpoint");
  }

  async removeCheckpoint(jobId: string): Promise<void> {
    await rm(this.checkpointDir(jobId), { recursive: true, force: true });
  }

  async removeJob(jobId: string): Promise<void> {
    await rm(this.#jobDir(jobId), { recursive: true, force: true });
  }

  async jobFolders(): Promise<JobFolder[]> {
    const entries = await readdir(this.#root, { withFileTypes: true }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return []; // no job yet
      throw error;
    });
    const folders = entries.filter((entry) => entry.isDirectory() && SAFE_SEGMENT.test(entry.name));
    return Promise.all(
      folders.map(async ({ name }) => ({
        jobId: name,
        modifiedAt: await lastChange(join(this.#root, name)),
      })),
    );
  }

  #jobDir(jobId: string): string {
    if (!SAFE_SEGMENT.test(jobId)) throw new Error(`unsafe job id ${jobId}`);
    return join(this.#root, jobId);
  }
}

/**
 * When a job folder last changed: the newest of its own time and its inputs/ and
 * outputs/ folders' (a file written or removed there changes theirs).
 */
async function lastChange(dir: string): Promise<number> {
  const times = await Promise.all(
    [dir, join(dir, "inputs"), join(dir, "outputs")].map((path) =>
      stat(path).then(
        (stats) => stats.mtimeMs,
        () => 0, // no such subfolder (yet)
      ),
    ),
  );
  return Math.max(...times);
}
