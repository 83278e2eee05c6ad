// A batch job is queued as micro-batches, each its own queue entry, so a 1000-image batch
// takes turns with other work instead of holding an engine for hours.

/** Splits items, in order, into chunks of at most maxBatchSize (the last one may be smaller). */
export function splitIntoMicroBatches<T>(items: readonly T[], maxBatchSize: number): T[][] {
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new RangeError(`maxBatchSize must be an integer >= 1, got ${maxBatchSize}`);
  }
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += maxBatchSize) {
    chunks.push(items.slice(start, start + maxBatchSize));
  }
  return chunks;
}

/** The queue entry id of one micro-batch of a batch job (QueueEntry.id). */
export function microBatchEntryId(jobId: string, chunk: number): string {
  return `${jobId}#${chunk}`;
}
