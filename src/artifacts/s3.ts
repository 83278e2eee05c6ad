// ObjectStorage on S3-compatible storage through the AWS SDK v3 (docs/cluster.md
// "Storage"). Credentials come from the SDK's usual chain (environment, profile, instance
// role) and never pass through this module, so nothing here can log them. With an
// endpoint URL (MinIO, moto, a NAS), requests use path-style addressing: local servers
// rarely resolve bucket names as host names.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomUUID } from "node:crypto";
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { ObjectEntry, ObjectStorage, StoredObject } from "./object-storage.js";

/** Where the objects live: `s3://<bucket>/<prefix>`. */
export interface StorageLocation {
  bucket: string;
  /** Prepended to every key, without a trailing slash; "" = the bucket's root. */
  prefix: string;
}

export interface S3Settings {
  /** The S3-compatible server; null = AWS's own endpoints. */
  endpoint: string | null;
  /** null = the SDK's own lookup (its environment, the profile). */
  region: string | null;
}

/** DeleteObjects takes at most this many keys a request. */
const DELETE_BATCH = 1000;
/** A key's characters: what our keys use (ids, safe file names, slashes); nothing else. */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$/;

/** The client for the settings; tests pass their own (explicit credentials). */
export function s3Client(settings: S3Settings): S3Client {
  const endpoint = settings.endpoint ?? undefined;
  // A local server ignores the region but the signature needs one.
  const region = settings.region ?? (endpoint ? "us-east-1" : undefined);
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(region ? { region } : {}),
  });
}

/** The HTTP status of an SDK error, when it has one. */
function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Undefined for a missing object (404), the error rethrown otherwise. */
function missingAsUndefined(error: unknown): undefined {
  if (statusOf(error) === 404) return undefined;
  throw error;
}

export class S3ObjectStorage implements ObjectStorage {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(location: StorageLocation, client: S3Client) {
    this.#client = client;
    this.#bucket = location.bucket;
    this.#prefix = location.prefix ? `${location.prefix}/` : "";
  }

  async putFile(key: string, path: string, contentType?: string): Promise<void> {
    // A stream needs its length up front (no chunked upload to every S3-compatible server).
    const { size } = await stat(path);
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#full(key),
        Body: createReadStream(path),
        ContentLength: size,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
  }

  async putBuffer(key: string, data: Buffer, contentType?: string): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#full(key),
        Body: data,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const answer = await this.#client
      .send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#full(key) }))
      .catch(missingAsUndefined);
    if (!answer?.Body) return undefined;
    return {
      body: answer.Body as Readable, // a Node stream under Node's HTTP handler
      size: answer.ContentLength ?? 0,
      contentType: answer.ContentType,
    };
  }

  async size(key: string): Promise<number | undefined> {
    const answer = await this.#client
      .send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#full(key) }))
      .catch(missingAsUndefined);
    return answer?.ContentLength;
  }

  async copy(fromKey: string, toKey: string): Promise<boolean> {
    const copied = await this.#client
      .send(
        new CopyObjectCommand({
          Bucket: this.#bucket,
          Key: this.#full(toKey),
          CopySource: `${this.#bucket}/${this.#full(fromKey)}`,
        }),
      )
      .catch(missingAsUndefined);
    return copied !== undefined;
  }

  async download(key: string, path: string): Promise<boolean> {
    const object = await this.get(key);
    if (!object) return false;
    await mkdir(dirname(path), { recursive: true });
    // Hidden and renamed when whole, as the engine writes its outputs.
    const partial = join(dirname(path), `.download-${randomUUID()}.tmp`);
    try {
      await pipeline(object.body, createWriteStream(partial));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return true;
  }

  async list(prefix: string): Promise<ObjectEntry[]> {
    const full = this.#full(prefix);
    const entries: ObjectEntry[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: full,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        entries.push({
          key: object.Key.slice(this.#prefix.length),
          size: object.Size ?? 0,
          modifiedAt: object.LastModified?.getTime() ?? 0,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return entries;
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = (await this.list(prefix)).map((entry) => this.#full(entry.key));
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const answer = await this.#client.send(
        new DeleteObjectsCommand({
          Bucket: this.#bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = answer.Errors ?? [];
      if (failed.length) {
        throw new Error(
          `could not delete ${failed.length} objects under ${prefix}: ${failed[0]?.Code ?? "?"}`,
        );
      }
    }
    return keys.length;
  }

  presignGet(key: string, expiresInS: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.#bucket, Key: this.#full(key) });
    return getSignedUrl(this.#client, command, { expiresIn: expiresInS });
  }

  /** The bucket key of a key; a key outside what ours look like is refused, never sent. */
  #full(key: string): string {
    if (!SAFE_KEY.test(key) || key.split("/").some((part) => part === "." || part === "..")) {
      throw new Error(`unsafe object key ${JSON.stringify(key)}`);
    }
    return this.#prefix + key;
  }
}
