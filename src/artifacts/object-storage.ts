// Objects by key in S3-compatible storage, the shared half of cluster mode's artifacts
// (docs/cluster.md "Storage"). Keys are relative to the deployment's prefix; an
// implementation adds the prefix and never lets a key name anything outside it.
import type { Readable } from "node:stream";

/** An object being read: its bytes as a stream, with what a response needs to say. */
export interface StoredObject {
  body: Readable;
  size: number;
  /** As stored with the object; undefined when none was. */
  contentType: string | undefined;
}

/** One listed object. */
export interface ObjectEntry {
  key: string;
  size: number;
  /** When it was written (milliseconds since the epoch). */
  modifiedAt: number;
}

export interface ObjectStorage {
  /** Uploads a local file (streamed, never read whole into memory). */
  putFile(key: string, path: string, contentType?: string): Promise<void>;
  putBuffer(key: string, data: Buffer, contentType?: string): Promise<void>;
  /** The object, or undefined when there is none under the key. */
  get(key: string): Promise<StoredObject | undefined>;
  /** The object's size, or undefined when there is none (a HEAD, no body). */
  size(key: string): Promise<number | undefined>;
  /** Copies an object within the storage; false when the source does not exist. */
  copy(fromKey: string, toKey: string): Promise<boolean>;
  /**
   * Writes the object to a local file (its folder created), whole or not at all: the
   * bytes go to a temporary name renamed when complete. False when there is no object.
   */
  download(key: string, path: string): Promise<boolean>;
  /** Every object whose key starts with the prefix (all pages). */
  list(prefix: string): Promise<ObjectEntry[]>;
  /** Deletes every object whose key starts with the prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** A URL that reads the object without credentials for expiresInS seconds. */
  presignGet(key: string, expiresInS: number): Promise<string>;
}
