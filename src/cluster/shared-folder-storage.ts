// Run storage when every process of the cluster sees the same data folder (one host, or
// a shared file system): the engine reads the inputs where the replica stored them and
// writes its outputs where every replica serves them, so nothing is copied.
import type { ArtifactStore } from "../artifacts/types.js";
import { runPlanFor } from "../jobs/batch-chunks.js";
import type { RunStorage } from "./agent.js";

export class SharedFolderStorage implements RunStorage {
  readonly #artifacts: ArtifactStore;

  constructor(artifacts: ArtifactStore) {
    this.#artifacts = artifacts;
  }

  prepare: RunStorage["prepare"] = (job) => runPlanFor(job, this.#artifacts);

  keyOf: RunStorage["keyOf"] = (jobId, _lease, path) => this.#artifacts.keyOf(jobId, path);

  publish: RunStorage["publish"] = async () => {
    // Already where every replica reads it.
  };

  share: RunStorage["share"] = async () => {
    // The checkpoint is in the folder every host sees.
  };

  runEnded: RunStorage["runEnded"] = async (jobId, terminal) => {
    await this.#artifacts.removePartialOutputs(jobId);
    // A finished job resumes from nothing; a requeued video keeps its checkpoint.
    if (terminal) await this.#artifacts.removeCheckpoint(jobId);
  };
}
