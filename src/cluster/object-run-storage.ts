// Run storage with S3-compatible object storage (docs/cluster.md "Storage"): the agent
// fetches a job's inputs into its own work folder, its engine writes outputs there, and
// the finished files are uploaded under the job *and attempt*, so that a host that ran a
// job after losing its lease never mixes files with the run that counted. A video that
// goes back to pending (it yielded, its host stopped) shares its section checkpoint, so
// whichever host runs it next resumes where it stopped. The work folder goes once the
// run has ended.
import type { Logger } from "pino";
import type { SharedArtifacts } from "../artifacts/shared.js";
import { runPlanFor } from "../jobs/batch-chunks.js";
import type { RunStorage } from "./agent.js";

export class ObjectRunStorage implements RunStorage {
  readonly #shared: SharedArtifacts;
  readonly #logger: Pick<Logger, "warn">;

  constructor(shared: SharedArtifacts, logger: Pick<Logger, "warn">) {
    this.#shared = shared;
    this.#logger = logger;
  }

  prepare: RunStorage["prepare"] = async (job) => {
    // A checkpoint only saves work: without one the video starts from its first section.
    if (job.type === "video") {
      await this.#shared.fetchCheckpoint(job.id).catch((error: unknown) => {
        this.#logger.warn({ job: job.id, err: error }, "fetching the video's checkpoint failed");
      });
    }
    return runPlanFor({ ...job, plan: await this.#shared.fetchInputs(job) }, this.#shared);
  };

  keyOf: RunStorage["keyOf"] = (jobId, lease, path) =>
    this.#shared.outputKeyOf(jobId, lease.attempt, path);

  publish: RunStorage["publish"] = async (jobId, lease) => {
    await this.#shared.uploadFinishedOutputs(jobId, lease.attempt);
  };

  share: RunStorage["share"] = (jobId) => this.#shared.shareCheckpoint(jobId);

  runEnded: RunStorage["runEnded"] = async (jobId, terminal) => {
    try {
      // A finished video needs no checkpoint; a lost run's shared one is the new host's.
      if (terminal) await this.#shared.removeCheckpoint(jobId);
    } finally {
      // Everything else of the run is shared (inputs, uploaded outputs, a checkpoint).
      await this.#shared.removeLocal(jobId);
    }
  };
}
