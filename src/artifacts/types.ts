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
  /**
   * A local file of the job's stored input `name` to read (inputPathOf's), fetched from the
   * shared storage first where this host lacks it (cluster mode); undefined when the name
   * or id is malformed. The file may not exist.
   */
  readableInput(jobId: string, name: string): Promise<string | undefined>;
  /**
   * A local file of an output to read, by key (pathOf's, or in cluster mode a copy of
   * the shared storage's object); undefined when the key is malformed or names nothing.
   */
  readableOutput(key: string): Promise<string | undefined>;
  /** The key of a file the engine wrote, or undefined when it lies outside the job's outputs. */
  keyOf(jobId: string, absolutePath: string): string | undefined;
  /** Absolute path of a key, or undefined when the key is malformed or escapes the root. */
  pathOf(key: string): string | undefined;
  /**
   * Deletes half-written outputs (the engine's hidden temp files) that an engine killed
   * mid-write left behind; finished outputs are kept.
   */
  removePartialOutputs(jobId: string): Promise<void>;
  /**
   * Absolute folder a video keeps its section checkpoint in across attempts
   * (`<job>/checkpoint/`, written by the engine; never served).
   */
  checkpointDir(jobId: string): string;
  /** Deletes the job's checkpoint (a finished, failed or cancelled job needs none). */
  removeCheckpoint(jobId: string): Promise<void>;
  /**
   * Copies every input file of one job to another (a retry reuses them, whatever kinds
   * of input the job had); returns each copied file's old absolute path -> new one.
   */
  copyInputs(fromJobId: string, toJobId: string): Promise<Map<string, string>>;
  /**
   * Copies one output file of a job into another job's inputs (a continued video keeps its
   * own copy of the earlier one's files); returns the copy's absolute path, or undefined
   * when the output does not exist.
   */
  copyOutputToInput(
    fromJobId: string,
    outputName: string,
    toJobId: string,
    inputName: string,
  ): Promise<string | undefined>;
  /** Deletes everything of the job (inputs, outputs and checkpoint). */
  removeJob(jobId: string): Promise<void>;
  /** Every job folder there is, for retention to find those no record owns. */
  jobFolders(): Promise<JobFolder[]>;
}
