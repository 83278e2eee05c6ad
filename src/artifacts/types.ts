// Inputs, outputs and previews by key, with URLs for clients. Local directory now,
// object storage later; nothing outside src/artifacts/ builds file paths.

/** A job's folder as found on disk, whether or not a job record owns it. */
export interface JobFolder {
  jobId: string;
  /** When anything in it last changed (milliseconds since the epoch). */
  modifiedAt: number;
}

export interface ArtifactStore {
  /** Absolute directory the engine writes a job's outputs into (created if missing). */
  outputDir(jobId: string): Promise<string>;
  /** Stores an uploaded input as a file of the job; returns the absolute path for the plan. */
  writeInput(jobId: string, name: string, data: Buffer): Promise<string>;
  /**
   * Absolute path of a stored input of the job (a name writeInput took), or undefined when
   * the name or id is malformed; the file itself may not exist.
   */
  inputPathOf(jobId: string, name: string): string | undefined;
  /** The key of a file the engine wrote, or undefined when it lies outside the job's outputs. */
  keyOf(jobId: string, absolutePath: string): string | undefined;
  /** Absolute path of a key, or undefined when the key is malformed or escapes the root. */
  pathOf(key: string): string | undefined;
  /**
   * Deletes half-written outputs (the engine's hidden temp files) that an engine killed
   * mid-write left behind; finished outputs are kept.
   */
  removePartialOutputs(jobId: string): Promise<void>;
  /** Deletes everything of the job (inputs and outputs). */
  removeJob(jobId: string): Promise<void>;
  /** Every job folder there is, for retention to find those no record owns. */
  jobFolders(): Promise<JobFolder[]>;
}
