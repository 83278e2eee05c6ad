// Cluster mode's artifacts (docs/cluster.md "Storage"): a local work folder (the
// LocalArtifactStore every process has) in front of S3-compatible object storage that
// every process shares. Objects are laid out as
//   jobs/<id>/inputs/<name>              the pictures a replica stored at submission
//   jobs/<id>/attempt-<n>/<name>         the outputs of attempt n, uploaded by its agent
//   jobs/<id>/checkpoint/<name>          a requeued video's section checkpoint
// so a job that ran twice (a host lost its lease, its late run went on) never mixes
// files: the record names the attempt it committed. Output keys, and so URLs, are
// "<id>/attempt-<n>/<name>".
//
// As an ArtifactStore (the replica's, retention's and DELETE's) it works on the local
// folder and on the objects: stored inputs are uploaded, a removed job loses its objects
// too, and orphans are found among both.
import { access, mkdir, readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { rewritePlan } from "../engine/plan-rewrite.js";
import type { JobPlan } from "../engine/protocol.js";
import { contentTypeOf } from "./content-types.js";
import { SAFE_SEGMENT, type LocalArtifactStore } from "./local.js";
import type { ObjectStorage, StoredObject } from "./object-storage.js";
import type { ArtifactStore, JobFolder } from "./types.js";

const ATTEMPT_SEGMENT = /^attempt-([1-9][0-9]{0,5})$/;

/** The job a plan belongs to: its id and its stored plan (a JobRecord fits). */
export interface PlannedJob {
  id: string;
  plan: JobPlan;
}

const jobPrefix = (jobId: string) => `jobs/${jobId}/`;
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const inputsPrefix = (jobId: string) => `${jobPrefix(jobId)}inputs/`;
const checkpointPrefix = (jobId: string) => `${jobPrefix(jobId)}checkpoint/`;

/** "<id>/attempt-<n>/<name>" -> its object key, or undefined when malformed. */
export function outputObjectKey(key: string): string | undefined {
  const [jobId, attempt, file, ...rest] = key.split("/");
  if (rest.length || !jobId || !attempt || !file) return undefined;
  if (!SAFE_SEGMENT.test(jobId) || !ATTEMPT_SEGMENT.test(attempt) || !SAFE_SEGMENT.test(file)) {
    return undefined;
  }
  return `${jobPrefix(jobId)}${attempt}/${file}`;
}

export class SharedArtifacts implements ArtifactStore {
  readonly #local: LocalArtifactStore;
  readonly #objects: ObjectStorage;

  constructor(local: LocalArtifactStore, objects: ObjectStorage) {
    this.#local = local;
    this.#objects = objects;
  }

  // --- The replica's side: what a submission stores is shared at once. ---

  async writeInput(jobId: string, name: string, data: Buffer): Promise<string> {
    const path = await this.#local.writeInput(jobId, name, data);
    await this.#objects.putBuffer(`${inputsPrefix(jobId)}${name}`, data, contentTypeOf(name));
    return path;
  }

  /**
   * A retry's copies: object to object (the first job may have been stored by another
   * replica), and locally where this host has them. The map names this host's paths;
   * a plan that names another replica's is still resolved by fetchInputs, by file name.
   */
  async copyInputs(fromJobId: string, toJobId: string): Promise<Map<string, string>> {
    const names = await this.#inputNames(fromJobId);
    await Promise.all(
      names.map((name) =>
        this.#objects.copy(`${inputsPrefix(fromJobId)}${name}`, `${inputsPrefix(toJobId)}${name}`),
      ),
    );
    const copies = await this.#local.copyInputs(fromJobId, toJobId);
    for (const name of names) {
      const from = this.#local.inputPathOf(fromJobId, name);
      const to = this.#local.inputPathOf(toJobId, name);
      if (from && to && !copies.has(from)) copies.set(from, to);
    }
    return copies;
  }

  /** Objects first: should it fail, the local files and the record still say what is left. */
  async removeJob(jobId: string): Promise<void> {
    await this.#objects.deletePrefix(jobPrefix(jobId));
    await this.#local.removeJob(jobId);
  }

  /** Job folders here and job prefixes in the storage, each with its latest change. */
  async jobFolders(): Promise<JobFolder[]> {
    const latest = new Map<string, number>();
    for (const folder of await this.#local.jobFolders())
      latest.set(folder.jobId, folder.modifiedAt);
    for (const entry of await this.#objects.list("jobs/")) {
      const jobId = entry.key.split("/")[1];
      if (!jobId || !SAFE_SEGMENT.test(jobId)) continue;
      latest.set(jobId, Math.max(latest.get(jobId) ?? 0, entry.modifiedAt));
    }
    return [...latest].map(([jobId, modifiedAt]) => ({ jobId, modifiedAt }));
  }

  // --- The agent's side. ---

  /**
   * Downloads the job's inputs into this host's work folder; the job's plan with every
   * input path moved to the local copies. The plan names the paths of the replica that
   * stored them (`<its folder>/<id>/inputs/<name>`, or the first job's for a retry), so
   * an absolute path ending in `/<some id>/inputs/<name>` of a stored name is moved.
   */
  async fetchInputs(job: PlannedJob): Promise<JobPlan> {
    const names = await this.#inputNames(job.id);
    const local = new Map<string, string>();
    await Promise.all(
      names.map(async (name) => {
        const path = this.#local.inputPathOf(job.id, name);
        if (!path) return;
        if (!(await this.#objects.download(`${inputsPrefix(job.id)}${name}`, path))) {
          throw new Error(`input ${name} of job ${job.id} vanished from the storage`);
        }
        local.set(name, path);
      }),
    );
    return rewritePlan(job.plan, (value) => {
      const match = /^(?:\/[^/\s]+)*\/([^/\s]+)\/inputs\/([^/\s]+)$/.exec(value);
      const [, jobId, name] = match ?? [];
      const path = name !== undefined ? local.get(name) : undefined;
      return path && jobId && SAFE_SEGMENT.test(jobId) ? path : value;
    });
  }

  /**
   * Uploads finished outputs of one attempt (files the engine named, inside the job's
   * outputs folder; a hidden temp file or any other path is refused); their keys, in
   * order.
   */
  async uploadOutputs(jobId: string, attempt: number, files: readonly string[]): Promise<string[]> {
    if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`bad attempt ${attempt}`);
    const keys = files.map((path) => {
      const key = this.outputKeyOf(jobId, attempt, path);
      if (!key) throw new Error(`${path} is not a finished output of job ${jobId}`);
      return key;
    });
    await Promise.all(
      files.map((path, index) =>
        this.#objects.putFile(`jobs/${keys[index] ?? ""}`, path, contentTypeOf(path)),
      ),
    );
    return keys;
  }

  /**
   * The key a finished output of the attempt has once uploaded; undefined for a hidden
   * temp file or any path outside the job's outputs folder.
   */
  outputKeyOf(jobId: string, attempt: number, path: string): string | undefined {
    const local = this.#local.keyOf(jobId, path);
    // pathOf refuses what keyOf lets through: hidden names (the engine's temp files).
    if (!local || !this.#local.pathOf(local)) return undefined;
    return `${jobId}/attempt-${attempt}/${basename(path)}`;
  }

  /**
   * Uploads every finished file of the job's outputs folder under the attempt (the
   * result's files, the batch items written so far, a video's latent history).
   */
  async uploadFinishedOutputs(jobId: string, attempt: number): Promise<string[]> {
    return this.uploadOutputs(jobId, attempt, await this.#local.finishedOutputs(jobId));
  }

  /**
   * A finished job's output into another job's inputs, object to object (and here): the
   * output of its newest attempt, which is the one its record names (a stale attempt
   * is an earlier one). Undefined when the job has no such output.
   */
  async copyOutputToInput(
    fromJobId: string,
    outputName: string,
    toJobId: string,
    inputName: string,
  ): Promise<string | undefined> {
    if (!SAFE_SEGMENT.test(outputName) || !SAFE_SEGMENT.test(inputName)) {
      throw new Error("unsafe output or input name");
    }
    const attempts = (await this.#objects.list(jobPrefix(fromJobId)))
      .map((entry) => entry.key.slice(jobPrefix(fromJobId).length).split("/"))
      .filter(([attempt, name]) => name === outputName && ATTEMPT_SEGMENT.test(attempt ?? ""))
      .map(([attempt]) => Number(ATTEMPT_SEGMENT.exec(attempt ?? "")?.[1]));
    if (attempts.length === 0) return undefined;
    const newest = `${jobPrefix(fromJobId)}attempt-${String(Math.max(...attempts))}/${outputName}`;
    const path = this.#local.inputPathOf(toJobId, inputName);
    if (!path) throw new Error("unsafe job id or input name");
    await this.#objects.copy(newest, `${inputsPrefix(toJobId)}${inputName}`);
    return (await this.#objects.download(newest, path)) ? path : undefined;
  }

  /**
   * Uploads the job's section checkpoint (the files of its folder here; an engine's hidden
   * temp file is no part of it), replacing the shared one; nothing when there is none.
   */
  async shareCheckpoint(jobId: string): Promise<void> {
    const folder = this.#local.checkpointDir(jobId);
    const names = await readdir(folder).catch(() => []);
    await Promise.all(
      names
        .filter((name) => SAFE_SEGMENT.test(name))
        .map((name) =>
          this.#objects.putFile(`${checkpointPrefix(jobId)}${name}`, join(folder, name)),
        ),
    );
  }

  /** The job's shared section checkpoint into its folder here, if there is one. */
  async fetchCheckpoint(jobId: string): Promise<void> {
    const prefix = checkpointPrefix(jobId);
    const folder = this.#local.checkpointDir(jobId);
    for (const entry of await this.#objects.list(prefix)) {
      const name = entry.key.slice(prefix.length);
      if (SAFE_SEGMENT.test(name)) await this.#objects.download(entry.key, join(folder, name));
    }
  }

  /** Removes the job's local work folder (inputs, outputs, checkpoint) once it is shared. */
  removeLocal(jobId: string): Promise<void> {
    return this.#local.removeJob(jobId);
  }

  // --- Serving (any replica). ---

  /** The input here, downloaded first when another replica stored it. */
  async readableInput(jobId: string, name: string): Promise<string | undefined> {
    const path = this.#local.inputPathOf(jobId, name);
    if (!path || (await exists(path))) return path;
    await this.#objects.download(`${inputsPrefix(jobId)}${name}`, path);
    return path;
  }

  /**
   * An output as a local file: `<id>/attempt-<n>/<file>` is downloaded into this host's
   * folder of the job (kept until the job goes); a one-box key is the local file.
   */
  async readableOutput(key: string): Promise<string | undefined> {
    const objectKey = outputObjectKey(key);
    if (!objectKey) return this.#local.pathOf(key);
    const [jobId = "", , file = ""] = key.split("/");
    const path = this.#local.pathOf(`${jobId}/${file}`);
    if (!path || (await exists(path))) return path;
    await mkdir(dirname(path), { recursive: true });
    return (await this.#objects.download(objectKey, path)) ? path : undefined;
  }

  /** An output by its key; undefined when the key is malformed or no object has it. */
  async openOutput(key: string): Promise<StoredObject | undefined> {
    const objectKey = outputObjectKey(key);
    return objectKey ? this.#objects.get(objectKey) : undefined;
  }

  /** A presigned URL of an existing output; undefined when there is none. */
  async presignOutput(key: string, expiresInS: number): Promise<string | undefined> {
    const objectKey = outputObjectKey(key);
    if (!objectKey || (await this.#objects.size(objectKey)) === undefined) return undefined;
    return this.#objects.presignGet(objectKey, expiresInS);
  }

  // --- The rest is the local work folder's. ---

  outputDir(jobId: string): Promise<string> {
    return this.#local.outputDir(jobId);
  }

  inputPathOf(jobId: string, name: string): string | undefined {
    return this.#local.inputPathOf(jobId, name);
  }

  keyOf(jobId: string, absolutePath: string): string | undefined {
    return this.#local.keyOf(jobId, absolutePath);
  }

  pathOf(key: string): string | undefined {
    return this.#local.pathOf(key);
  }

  removePartialOutputs(jobId: string): Promise<void> {
    return this.#local.removePartialOutputs(jobId);
  }

  checkpointDir(jobId: string): string {
    return this.#local.checkpointDir(jobId);
  }

  /** Here and shared: a finished or cancelled video needs none. */
  async removeCheckpoint(jobId: string): Promise<void> {
    await this.#objects.deletePrefix(checkpointPrefix(jobId));
    await this.#local.removeCheckpoint(jobId);
  }

  /** The names of the job's stored inputs, from the storage. */
  async #inputNames(jobId: string): Promise<string[]> {
    const prefix = inputsPrefix(jobId);
    return (await this.#objects.list(prefix))
      .map((entry) => entry.key.slice(prefix.length))
      .filter((name) => SAFE_SEGMENT.test(name));
  }
}
