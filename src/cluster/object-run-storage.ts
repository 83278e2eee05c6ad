// Run storage with S3-compatible object storage (docs/cluster.md "Storage"): the agent
// fetches a job's inputs into its own work folder, its engine writes outputs there, and
// the finished files are uploaded under the job *and attempt*, so that a host that ran a
// job after losing its lease never mixes files with the run that counted. The work folder
// goes once the run has ended; a requeued video's checkpoint stays on this host.
import type { SharedArtifacts } from "../artifacts/shared.js";
import { runPlanFor } from "../jobs/batch-chunks.js";
import type { RunStorage } from "./agent.js";

export class ObjectRunStorage implements RunStorage {
  readonly #shared: SharedArtifacts;

  constructor(shared: SharedArtifacts) {
    this.#shared = shared;
  }

  prepare: RunStorage["prepare"] = async (job) =>
    runPlanFor({ ...job, plan: await this.#shared.fetchInputs(job) }, this.#shared);

  keyOf: RunStorage["keyOf"] = (jobId, lease, path) =>
    this.#shared.outputKeyOf(jobId, lease.attempt, path);

  publish: RunStorage["publish"] = async (jobId, lease) => {
    await this.#shared.uploadFinishedOutputs(jobId, lease.attempt);
  };

  runEnded: RunStorage["runEnded"] = async (jobId, terminal) => {
    // A video that will run again may resume here from its checkpoint; the rest is shared.
    if (terminal) await this.#shared.removeLocal(jobId);
    else await this.#shared.removePartialOutputs(jobId);
  };
}
