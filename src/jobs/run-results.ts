// What a finished engine run leaves in the job record: its outputs by artifact key and
// its metadata (a batch's come from its items' states, recorded as each item finished).
import type { ArtifactStore } from "../artifacts/types.js";
import type { ResultEvent } from "../engine/protocol.js";
import type { JobOutput, JobRecord, JobResult } from "../store/types.js";
import { batchOutputs } from "./batch-chunks.js";

/** The result a job completes with, from the engine's report of its last run. */
export function finalResult(
  job: JobRecord,
  result: ResultEvent,
  keyOf: ArtifactStore["keyOf"],
): JobResult {
  if (job.type !== "batch_image") {
    return { outputs: resultOutputs(job.id, result, keyOf), metadata: result.metadata };
  }
  const items = job.batchItems ?? [];
  const metadata = {
    items: items.map(({ index, seed, status, error }) => ({ index, seed, status, error })),
  };
  return { outputs: batchOutputs(job), metadata };
}

/** The files the engine wrote, by key; previews and files outside the job's outputs are left out. */
function resultOutputs(
  jobId: string,
  result: ResultEvent,
  keyOf: ArtifactStore["keyOf"],
): JobOutput[] {
  return result.files.flatMap((file) => {
    const key = keyOf(jobId, file.path);
    if (!key || file.kind === "preview") return [];
    return [
      {
        key,
        kind: file.kind,
        seed: file.seed ?? 0,
        width: file.width ?? 0,
        height: file.height ?? 0,
        ...(file.index === undefined ? {} : { index: file.index }),
        ...(file.frames === undefined ? {} : { frames: file.frames }),
        ...(file.fps === undefined ? {} : { fps: file.fps }),
      },
    ];
  });
}
