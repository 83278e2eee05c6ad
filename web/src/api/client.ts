// Every call of the UI, through the SDK (src/client): the stored key on each request, the
// error envelope as a FramePackError, and a word to the app when the server wants a (valid) key.
import { createFramePackClient, unwrap, type FramePackClient } from "../../../src/client/index";
import { storedKey } from "./key";
import type { Accepted, JobFilter, JobKind, JobPageQuery, SubmitBodies } from "./types";

type KeyListener = (status: 401 | 403) => void;
const keyListeners = new Set<KeyListener>();

/** Called with 401 (no key) or 403 (wrong key) whenever a request is refused. */
export function onKeyRequired(listener: KeyListener): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

/** fetch, telling the listeners about every refusal (calls, event streams, downloads). */
async function watchedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const status = response.status;
  if (status === 401 || status === 403) for (const listener of keyListeners) listener(status);
  return response;
}

let current: { key: string | null; client: FramePackClient } | undefined;

/** The SDK client for the key stored now (a new one once the key changes). */
function sdk(): FramePackClient {
  const key = storedKey();
  if (current?.key !== key) {
    const client = createFramePackClient({
      baseUrl: location.origin,
      apiKey: key ?? undefined,
      fetch: watchedFetch,
    });
    current = { key, client };
  }
  return current.client;
}

type Submit<Kind extends JobKind> = (body: SubmitBodies[Kind]) => Promise<Accepted>;
const SUBMIT: { [Kind in JobKind]: Submit<Kind> } = {
  image: (body) => unwrap(sdk().POST("/api/generate-image", { body })),
  batch_image: (body) => unwrap(sdk().POST("/api/batch-images", { body })),
  image_transfer: (body) => unwrap(sdk().POST("/api/transfer-image", { body })),
  video: (body) => unwrap(sdk().POST("/api/generate-video", { body })),
};

export const api = {
  system: () => unwrap(sdk().GET("/api/system")),
  loras: () => unwrap(sdk().GET("/api/loras")),
  /** One page of the list, newest first; `cursor` (an earlier page's next_cursor) goes on. */
  jobs: (filter: JobFilter, page: JobPageQuery, signal: AbortSignal) =>
    unwrap(sdk().GET("/api/jobs", { params: { query: { ...filter, ...page } }, signal })),
  /** The pictures a job was submitted with, by request field (fetch each with download). */
  inputs: (id: string) =>
    unwrap(sdk().GET("/api/jobs/{id}/inputs", { params: { path: { id } } })).then(
      (answer) => answer.inputs,
    ),
  /** One job's record (a short id prefix is taken too). */
  job: (id: string, signal: AbortSignal) =>
    unwrap(sdk().GET("/api/jobs/{id}", { params: { path: { id } }, signal })),
  cancel: (id: string) => unwrap(sdk().POST("/api/jobs/{id}/cancel", { params: { path: { id } } })),
  // Queue control (docs/api.md §6).
  queue: () => unwrap(sdk().GET("/api/queue")),
  pauseQueue: () => unwrap(sdk().POST("/api/queue/pause")),
  resumeQueue: () => unwrap(sdk().POST("/api/queue/resume")),
  setPriority: (id: string, priority: number) =>
    unwrap(sdk().PATCH("/api/jobs/{id}", { params: { path: { id } }, body: { priority } })),
  retry: (id: string, newSeed: boolean) =>
    unwrap(
      sdk().POST("/api/jobs/{id}/retry", { params: { path: { id } }, body: { new_seed: newSeed } }),
    ),
  remove: (id: string) => unwrap(sdk().DELETE("/api/jobs/{id}", { params: { path: { id } } })),
  submit: <Kind extends JobKind>(kind: Kind, body: SubmitBodies[Kind]) => SUBMIT[kind](body),
  /** A job's events until `done`, resumed with Last-Event-ID when the connection drops. */
  events: (id: string, signal: AbortSignal) => sdk().events(id, { signal }),
  /** An output file, fetched with the key (an <img> or <video> cannot send it). */
  download: (url: string, signal?: AbortSignal) => sdk().download(url, signal),
};
