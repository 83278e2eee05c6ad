// Every JSON call of the UI: sends the stored key, turns the /api error envelope into
// an ApiError, and tells the app when the server wants a (valid) key.
import { authHeaders } from "./key";
import type { Accepted, Job, JobKind, JobPage, JobStatus, LoraList, SystemReport } from "./types";

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type KeyListener = (status: 401 | 403) => void;
const keyListeners = new Set<KeyListener>();

/** Called with 401 (no key) or 403 (wrong key) whenever a request is refused. */
export function onKeyRequired(listener: KeyListener): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

export function refused(status: number): void {
  if (status === 401 || status === 403) for (const listener of keyListeners) listener(status);
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: FieldProblem[] };
  } | null;
  const error = body?.error;
  return new ApiError(
    response.status,
    error?.code ?? "http_error",
    error?.message ?? `HTTP ${response.status}`,
    error?.details ?? [],
  );
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) };
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    refused(response.status);
    throw await errorOf(response);
  }
  return (await response.json()) as T;
}

const SUBMIT_PATHS: Record<JobKind, string> = {
  image: "/api/generate-image",
  batch_image: "/api/batch-images",
  image_transfer: "/api/transfer-image",
  video: "/api/generate-video",
};

export interface JobFilter {
  status?: JobStatus | undefined;
  type?: JobKind | undefined;
}

export const api = {
  system: () => call<SystemReport>("/api/system"),
  loras: () => call<LoraList>("/api/loras"),
  jobs: (filter: JobFilter, limit = 50) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (filter.status) query.set("status", filter.status);
    if (filter.type) query.set("type", filter.type);
    return call<JobPage>(`/api/jobs?${query.toString()}`);
  },
  cancel: (id: string) => call<Job>(`/api/jobs/${id}/cancel`, { method: "POST" }),
  submit: (kind: JobKind, body: Record<string, unknown>) =>
    call<Accepted>(SUBMIT_PATHS[kind], {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
};
