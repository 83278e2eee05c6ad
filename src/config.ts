// The service's one typed configuration. Every setting is read from the environment
// here and nowhere else; the table below is also the documentation of the defaults.
import { isAbsolute, resolve } from "node:path";
import type { StorageLocation } from "./artifacts/s3.js";
import type { LogFormat } from "./log-format.js";
import { PROJECT_ROOT } from "./paths.js";

export interface Config {
  /** Interface the HTTP server binds to. */
  apiHost: string;
  apiPort: number;
  /** Root of everything the service writes: database, outputs, downloaded and tiny model sets. */
  dataDir: string;
  /** The cluster's PostgreSQL job store (docs/cluster.md); null = SQLite in the data folder. */
  databaseUrl: string | null;
  /**
   * Model root with the Hugging Face repo layout, which must be complete; null = the data
   * directory's models/ once `models download` completed it, else the tiny demo set.
   */
  modelRoot: string | null;
  /** One engine per entry: auto, cpu, cuda or cuda:N; none (empty): an API replica of a cluster. */
  devices: string[];
  memoryMode: "auto" | "high" | "low";
  /** GB of each GPU the engine may plan for and allocate; null = the whole card. */
  gpuMemoryGb: number | null;
  /** How the transformers' block linears are held: the model's bf16, or fp8 (a third smaller). */
  transformerDtype: "bf16" | "fp8";
  /** LoRA files are looked up inside this folder only. */
  loraDir: string;
  /** Attempts before a job whose engine keeps failing fails for good. */
  maxAttempts: number;
  /** sections: a running video yields its engine at a section boundary to higher-class work. */
  preempt: "sections" | "off";
  maxQueueLength: number;
  maxQueuePerKey: number;
  bodyLimitBytes: number;
  /** An engine silent this long is killed and restarted. */
  heartbeatTimeoutMs: number;
  /** A running job whose engine reports no progress this long has its engine killed (the job retried). */
  stallTimeoutS: number;
  /** The engine virtual environment directory (created by scripts/engine-env.sh). */
  engineVenv: string;
  /** The engine's Python package directory. */
  engineDir: string;
  heartbeatIntervalS: number;
  engineStartTimeoutMs: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
  /** How the log reads: JSON lines, or a readable line per event (auto: on a terminal). */
  logFormat: LogFormat;
  /** Accepted API keys; empty (and no key file) = no authentication. */
  apiKeys: string[];
  /** A file of further API keys, one a line; null = none. */
  apiKeysFile: string | null;
  /** Admin API keys: they see and act on every key's jobs. */
  apiAdminKeys: string[];
  /** A file of further admin API keys, one a line; null = none. */
  apiAdminKeysFile: string | null;
  /** Origins allowed by CORS ("*" = any); empty = no CORS headers. */
  allowedOrigins: string[];
  /** Terminal jobs kept (newest first); older ones lose their record and files. null = all. */
  maxCompletedJobs: number | null;
  /** Terminal jobs finished longer ago than this lose their record and files. null = never. */
  outputMaxAgeMs: number | null;
  /** How often the retention cleanup runs. */
  cleanupIntervalMs: number;
  /** A request (headers and body) must arrive whole within this. */
  requestTimeoutMs: number;
  /** A request's headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed. */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Largest request head (request line and headers); larger ones get 431. */
  maxHeaderBytes: number;
  /** Requests with a large body (over 1 MB) read at once; more get 503 server_busy. */
  maxLargeRequests: number;
  /** The Standard Webhooks signing secret ("whsec_" + base64); null = webhooks refused. */
  webhookSecret: string | null;
  /** Hosts webhooks may call (lowercase); empty = any. */
  webhookAllowedHosts: string[];
  /** A receiver must answer within this, or the attempt failed. */
  webhookTimeoutMs: number;
  /** Wait before the second attempt; each further one waits twice as long (capped at an hour). */
  webhookRetryBaseMs: number;
  /** A message not delivered this long after its event is given up. */
  webhookRetryForMs: number;
  /** Cluster mode: how long a running job's lease lasts without a renewal (renewed every third). */
  leaseMs: number;
  /** Cluster mode: how often an agent's idle engines look for work when nothing woke them. */
  agentPollMs: number;
  /** Cluster mode: the port of an agent's own /health and /metrics. */
  agentPort: number;
  /** Cluster mode's shared inputs and outputs (docs/cluster.md); null = the data folder only. */
  storage: StorageLocation | null;
  /** The S3-compatible server (path-style requests); null = AWS's own endpoints. */
  storageEndpoint: string | null;
  /** The storage's region; null = the AWS SDK's own lookup. */
  storageRegion: string | null;
  /** Output URLs answer a redirect to a presigned URL valid this long; 0 = streamed. */
  outputPresignS: number;
}

interface Setting<K extends keyof Config> {
  env: string;
  default: string;
  description: string;
  parse: (raw: string, env: string) => Config[K];
}

type SettingsTable = { [K in keyof Config]: Setting<K> };

export class ConfigError extends Error {
  constructor(env: string, raw: string, expected: string) {
    super(`${env}=${JSON.stringify(raw)} is not valid: expected ${expected}`);
    this.name = "ConfigError";
  }
}

const text = (raw: string): string => raw;
const path = (raw: string): string => (isAbsolute(raw) ? raw : resolve(raw));
const optionalPath = (raw: string): string | null => (raw === "" ? null : path(raw));

function integer(min: number, max: number) {
  return (raw: string, env: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(env, raw, `an integer from ${min} to ${max}`);
    }
    return value;
  };
}

function positiveNumber(raw: string, env: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(env, raw, "a positive number");
  return value;
}

function oneOf<T extends string>(...choices: readonly T[]) {
  return (raw: string, env: string): T => {
    if (!(choices as readonly string[]).includes(raw)) {
      throw new ConfigError(env, raw, `one of ${choices.join(", ")}`);
    }
    return raw as T;
  };
}

function devices(raw: string, env: string): string[] {
  if (raw.trim() === "none") return [];
  const list = raw.split(",").map((entry) => entry.trim());
  if (!list.every((entry) => /^(auto|cpu|cuda(:\d+)?)$/.test(entry))) {
    throw new ConfigError(env, raw, "none, or a comma-separated list of auto, cpu, cuda or cuda:N");
  }
  return list;
}

/** Printable ASCII without spaces or commas: what a Bearer token and the list allow. */
export const API_KEY_PATTERN = /^[\x21-\x2b\x2d-\x7e]+$/;

function apiKeys(raw: string, env: string): string[] {
  const keys = list(raw);
  // The raw value holds secrets: the error names the variable, never the keys.
  if (!keys.every((key) => API_KEY_PATTERN.test(key))) {
    throw new ConfigError(env, "<redacted>", "comma-separated keys of printable ASCII, no spaces");
  }
  return keys;
}

function origins(raw: string, env: string): string[] {
  const entries = list(raw).map((entry) => entry.replace(/\/$/, ""));
  if (!entries.every((entry) => entry === "*" || /^https?:\/\/[^/\s,]+$/.test(entry))) {
    throw new ConfigError(env, raw, 'comma-separated origins like https://app.example.com, or "*"');
  }
  return entries;
}

/** Comma-separated, trimmed, empty entries dropped. */
function list(raw: string): string[] {
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

function hours(raw: string, env: string): number {
  return positiveNumber(raw, env) * 3_600_000;
}

/** Whole seconds from 1 to `max`, as milliseconds. */
function seconds(max: number) {
  return (raw: string, env: string): number => integer(1, max)(raw, env) * 1000;
}

/** "whsec_" + base64 of 24 to 64 random bytes, as Standard Webhooks secrets are written. */
function webhookSecret(raw: string, env: string): string | null {
  if (raw === "") return null;
  const body = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(raw)?.[1];
  const bytes = body === undefined ? 0 : Buffer.from(body, "base64").length;
  // A secret: the error names the variable, never the value.
  if (bytes < 24 || bytes > 64) {
    throw new ConfigError(env, "<redacted>", "whsec_ followed by base64 of 24 to 64 bytes");
  }
  return raw;
}

function hostNames(raw: string, env: string): string[] {
  const hosts = list(raw).map((host) => host.toLowerCase());
  if (!hosts.every((host) => /^[a-z0-9.:[\]-]+$/.test(host))) {
    throw new ConfigError(env, raw, "comma-separated host names or IP addresses");
  }
  return hosts;
}

/** `s3://bucket` or `s3://bucket/some/prefix`; the prefix's segments as our keys' are. */
function storageUrl(raw: string, env: string): StorageLocation | null {
  if (raw === "") return null;
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(raw);
  const prefix = (match?.[2] ?? "").replace(/^\/+|\/+$/g, "");
  const segmentsOk = prefix.split("/").every((part) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(part));
  if (!match?.[1] || (prefix !== "" && !segmentsOk)) {
    throw new ConfigError(env, raw, "s3://<bucket> or s3://<bucket>/<prefix>");
  }
  return { bucket: match[1], prefix };
}

function httpUrl(raw: string, env: string): string | null {
  if (raw === "") return null;
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(raw)) {
    throw new ConfigError(env, raw, "an http(s):// URL");
  }
  return raw;
}

/** A PostgreSQL URL, or null; it holds a password: the error names the variable, never the value. */
function databaseUrl(raw: string, env: string): string | null {
  if (raw === "") return null;
  let scheme: string | undefined;
  try {
    scheme = new URL(raw).protocol;
  } catch {
    scheme = undefined;
  }
  if (scheme !== "postgres:" && scheme !== "postgresql:") {
    throw new ConfigError(env, "<redacted>", "a postgres:// or postgresql:// URL, or nothing");
  }
  return raw;
}

function megabytes(raw: string, env: string): number {
  return integer(1, 10_000)(raw, env) * 1024 * 1024;
}

export const SETTINGS: SettingsTable = {
  apiHost: {
    env: "API_HOST",
    default: "127.0.0.1",
    description: "Interface to listen on; 0.0.0.0 exposes the service to the network.",
    parse: text,
  },
  apiPort: {
    env: "API_PORT",
    default: "8080",
    description: "HTTP port (the legacy FramePack-FastAPI name).",
    parse: integer(0, 65535),
  },
  dataDir: {
    env: "FRAMEPACK_DATA_DIR",
    default: "./data",
    description:
      "Where the service keeps its database, outputs, the real weights `npx framepack models download` fetches (models/) and the tiny demo model set (models-tiny/).",
    parse: path,
  },
  databaseUrl: {
    env: "FRAMEPACK_DATABASE_URL",
    default: "",
    description:
      "A PostgreSQL URL (postgres://user:password@host:5432/db) for the job store that several replicas and GPU hosts share (cluster mode, docs/cluster.md); migrated at start. Empty = SQLite in the data folder. Logs show it without its password.",
    parse: databaseUrl,
  },
  modelRoot: {
    env: "FRAMEPACK_MODEL_ROOT",
    default: "",
    description:
      "Model root with the real weights in the Hugging Face repo layout (<root>/<org>/<repo>/...); the service refuses to start when it is incomplete and names the missing files. Empty = <FRAMEPACK_DATA_DIR>/models once `npx framepack models download` has completed it (checked at each start), else the tiny random-weight demo set (outputs are noise). Components missing from the root are also looked for in the local Hugging Face cache (HF_HOME); the download honours HF_ENDPOINT (a mirror) and HF_TOKEN.",
    parse: optionalPath,
  },
  devices: {
    env: "FRAMEPACK_DEVICE",
    default: "auto",
    description:
      "Engine devices, one engine each, comma-separated: auto (first CUDA GPU, else CPU), cpu, cuda or cuda:N (e.g. cuda:0,cuda:1); none: no engines, an API replica of a cluster (`framepack serve --no-engines`, needs FRAMEPACK_DATABASE_URL).",
    parse: devices,
  },
  memoryMode: {
    env: "FRAMEPACK_MEMORY_MODE",
    default: "auto",
    description:
      "high: all models resident; low: models on the GPU only for their phase, transformer blocks streamed; auto: high with more than 60 GB free.",
    parse: oneOf("auto", "high", "low"),
  },
  gpuMemoryGb: {
    env: "FRAMEPACK_GPU_MEMORY_GB",
    default: "",
    description:
      "GB of each GPU the engines may use: the memory modes plan within it and allocations past it fail as out of memory, as on a card that size (for a card shared with other programs). Empty = the whole card.",
    parse: (raw, env) => (raw === "" ? null : positiveNumber(raw, env)),
  },
  transformerDtype: {
    env: "FRAMEPACK_TRANSFORMER_DTYPE",
    default: "bf16",
    description:
      "bf16: the transformers as published; fp8: their block linears in float8 with block-wise scales, about a third fewer bytes (25.7 -> 17.0 GB) for 8-16 GB cards, within 2% of bf16's output; LoRAs switch and restore exactly either way.",
    parse: oneOf("bf16", "fp8"),
  },
  loraDir: {
    env: "LORA_DIR",
    default: "./loras",
    description: "Folder of LoRA files; requests name LoRAs relative to it and cannot leave it.",
    parse: path,
  },
  maxAttempts: {
    env: "FRAMEPACK_MAX_ATTEMPTS",
    default: "3",
    description: "Attempts before a job whose engine crashes or runs out of memory fails for good.",
    parse: integer(1, 20),
  },
  preempt: {
    env: "FRAMEPACK_PREEMPT",
    default: "sections",
    description:
      "sections: when higher-class work waits (images ahead of videos, by the scheduler's score with aging) and no engine is free, a running video stops at its next section boundary, waits in its original place and resumes from its checkpoint; at most 3 times per video, without costing an attempt. off: a job keeps its engine to the end.",
    parse: oneOf("sections", "off"),
  },
  maxQueueLength: {
    env: "MAX_QUEUE_LENGTH",
    default: "1000",
    description: "Pending jobs allowed in all; beyond it submissions get 503 with Retry-After.",
    parse: integer(1, 1_000_000),
  },
  maxQueuePerKey: {
    env: "MAX_QUEUE_PER_KEY",
    default: "200",
    description:
      "Pending jobs allowed per API key; beyond it submissions get 429 with Retry-After.",
    parse: integer(1, 1_000_000),
  },
  bodyLimitBytes: {
    env: "MAX_BODY_MB",
    default: "32",
    description: "Largest request body, in MB (images travel as base64 inside it).",
    parse: megabytes,
  },
  heartbeatTimeoutMs: {
    env: "FRAMEPACK_HEARTBEAT_TIMEOUT_MS",
    default: "60000",
    description: "An engine silent this long is considered hung, killed and restarted.",
    parse: integer(1000, 3_600_000),
  },
  stallTimeoutS: {
    env: "FRAMEPACK_STALL_TIMEOUT_S",
    default: "900",
    description:
      "A running job whose engine reports no progress for this many seconds is stuck (a deadlocked worker, a hung GPU call): the engine is killed and restarted, the job retried.",
    parse: integer(60, 86_400),
  },
  engineVenv: {
    env: "FRAMEPACK_ENGINE_VENV",
    default: resolve(PROJECT_ROOT, "engine/.venv"),
    description: "The engine's Python virtual environment (made by scripts/engine-env.sh).",
    parse: path,
  },
  engineDir: {
    env: "FRAMEPACK_ENGINE_DIR",
    default: resolve(PROJECT_ROOT, "engine"),
    description: "The engine's Python package directory.",
    parse: path,
  },
  heartbeatIntervalS: {
    env: "FRAMEPACK_HEARTBEAT_INTERVAL_S",
    default: "5",
    description: "Seconds between engine heartbeats.",
    parse: positiveNumber,
  },
  engineStartTimeoutMs: {
    env: "FRAMEPACK_ENGINE_START_TIMEOUT_MS",
    default: "120000",
    description: "How long an engine may take to start (import torch, say hello).",
    parse: integer(1000, 3_600_000),
  },
  logLevel: {
    env: "LOG_LEVEL",
    default: "info",
    description:
      "Log level: fatal, error, warn, info (start-up, the model set, each job's start and end, problems), debug (each HTTP request too) or trace.",
    parse: oneOf("fatal", "error", "warn", "info", "debug", "trace"),
  },
  logFormat: {
    env: "LOG_FORMAT",
    default: "auto",
    description:
      "json: one JSON object a line (for log collectors); pretty: one readable line per event; auto: pretty when stdout is a terminal, else json.",
    parse: oneOf("auto", "json", "pretty"),
  },
  apiKeys: {
    env: "API_KEYS",
    default: "",
    description:
      "Comma-separated API keys; requests then need Authorization: Bearer <key> or X-API-Key: <key> (all but /health and the docs). Each key sees and acts on only the jobs it submitted. Use long random strings (e.g. openssl rand -hex 32). Empty (and no admin keys) = no authentication, every job visible to all.",
    parse: apiKeys,
  },
  apiKeysFile: {
    env: "API_KEYS_FILE",
    default: "",
    description:
      "File with more API keys, one a line (blank lines and # comments ignored); keeps keys out of the environment. Empty = none.",
    parse: optionalPath,
  },
  apiAdminKeys: {
    env: "API_ADMIN_KEYS",
    default: "",
    description:
      "Comma-separated admin API keys: accepted like API_KEYS, and they list, read, download, follow and cancel every key's jobs. Empty = none.",
    parse: apiKeys,
  },
  apiAdminKeysFile: {
    env: "API_ADMIN_KEYS_FILE",
    default: "",
    description:
      "File with more admin API keys, one a line (blank lines and # comments ignored). Empty = none.",
    parse: optionalPath,
  },
  allowedOrigins: {
    env: "ALLOWED_ORIGINS",
    default: "",
    description:
      'Comma-separated origins browsers may call the API from (CORS), or "*" for any; empty = no CORS headers (the legacy name).',
    parse: origins,
  },
  maxCompletedJobs: {
    env: "MAX_COMPLETED_JOBS",
    default: "",
    description:
      "Finished (completed, failed, cancelled) jobs kept; beyond it the oldest lose their record and output files (the legacy name). Empty = keep every one. Running and waiting jobs are never removed.",
    parse: (raw, env) => (raw === "" ? null : integer(0, 100_000_000)(raw, env)),
  },
  outputMaxAgeMs: {
    env: "OUTPUT_MAX_AGE_HOURS",
    default: "",
    description:
      "Hours a finished job and its output files are kept after it finished (e.g. 168 = one week); job folders without a record are removed past it too. Empty = kept until deleted by hand.",
    parse: (raw, env) => (raw === "" ? null : hours(raw, env)),
  },
  cleanupIntervalMs: {
    env: "CLEANUP_INTERVAL_S",
    default: "300",
    description: "Seconds between runs of the retention cleanup (it also runs once at start).",
    parse: seconds(86_400),
  },
  requestTimeoutMs: {
    env: "REQUEST_TIMEOUT_S",
    default: "120",
    description:
      "Seconds a client has to send a whole request (headers and body); slower ones get 408 and are disconnected.",
    parse: seconds(3600),
  },
  headersTimeoutMs: {
    env: "HEADERS_TIMEOUT_S",
    default: "20",
    description:
      "Seconds a client has to send a request's headers; a client that trickles them (slowloris) is cut off. At most REQUEST_TIMEOUT_S.",
    parse: seconds(3600),
  },
  idleTimeoutMs: {
    env: "IDLE_TIMEOUT_S",
    default: "120",
    description:
      "Seconds a connection may stay silent both ways before it is closed (event streams send a heartbeat every 15 s).",
    parse: seconds(86_400),
  },
  keepAliveTimeoutMs: {
    env: "KEEP_ALIVE_TIMEOUT_S",
    default: "72",
    description:
      "Seconds an idle keep-alive connection is kept for the next request (above the usual 60 s of load balancers).",
    parse: seconds(3600),
  },
  maxHeaderBytes: {
    env: "MAX_HEADER_KB",
    default: "16",
    description: "Largest request head (request line and headers) in KB; larger ones get 431.",
    parse: (raw, env) => integer(1, 1024)(raw, env) * 1024,
  },
  maxLargeRequests: {
    env: "MAX_LARGE_REQUESTS",
    default: "4",
    description:
      "Requests with a body over 1 MB (pictures) read and decoded at once, from their headers to their answer; more get 503 server_busy with Retry-After before their body is read, so that big uploads cannot stall the service or exhaust its memory (each may take several times MAX_BODY_MB). Raise it for many clients uploading over slow links.",
    parse: integer(1, 1000),
  },
  webhookSecret: {
    env: "WEBHOOK_SECRET",
    default: "",
    description:
      "Signing secret of the jobs' webhooks (Standard Webhooks: whsec_ followed by base64 of 24 to 64 random bytes, e.g. `echo whsec_$(openssl rand -base64 32)`); receivers verify with it. Empty = requests with a webhook are refused (422 webhook_not_allowed).",
    parse: webhookSecret,
  },
  webhookAllowedHosts: {
    env: "WEBHOOK_ALLOWED_HOSTS",
    default: "",
    description:
      "Comma-separated hosts webhooks may call (exact names or IP addresses); a webhook to another host is refused at submission (422 webhook_not_allowed). Empty = any host: set it where the service must not call into its own network.",
    parse: hostNames,
  },
  webhookTimeoutMs: {
    env: "WEBHOOK_TIMEOUT_S",
    default: "10",
    description:
      "Seconds a webhook receiver has to answer; a slower answer counts as a failed attempt (retried). Redirects are never followed (a failed attempt too).",
    parse: seconds(300),
  },
  webhookRetryBaseMs: {
    env: "WEBHOOK_RETRY_BASE_S",
    default: "5",
    description:
      "Seconds before a failed webhook is tried again; each further wait doubles (at most an hour apart).",
    parse: (raw, env) => positiveNumber(raw, env) * 1000,
  },
  webhookRetryForMs: {
    env: "WEBHOOK_RETRY_HOURS",
    default: "24",
    description:
      "Hours a webhook message is retried after its event; then it is given up (the job's delivery log says so).",
    parse: hours,
  },
  leaseMs: {
    env: "FRAMEPACK_LEASE_S",
    default: "30",
    description:
      "Cluster mode: seconds a running job's lease lasts; its agent renews it every third of that. A host silent for longer (dead, cut off, paused) loses its jobs: they are requeued (their attempts counted) and the host can no longer record them.",
    parse: (raw, env) => integer(1, 600)(raw, env) * 1000,
  },
  agentPollMs: {
    env: "FRAMEPACK_AGENT_POLL_MS",
    default: "500",
    description: "Cluster mode: how often an agent's idle engines read the shared queue for work.",
    parse: integer(50, 60_000),
  },
  agentPort: {
    env: "FRAMEPACK_AGENT_PORT",
    default: "8081",
    description:
      "Cluster mode: the port of a `framepack agent`'s own /health and /metrics (on API_HOST).",
    parse: integer(0, 65535),
  },
  storage: {
    env: "FRAMEPACK_STORAGE_URL",
    default: "",
    description:
      "Cluster mode: job inputs and outputs in S3-compatible storage, s3://<bucket>/<prefix> (credentials from the AWS SDK's usual environment variables, profile or instance role). Empty = the data folder only, as on one box.",
    parse: storageUrl,
  },
  storageEndpoint: {
    env: "AWS_ENDPOINT_URL",
    default: "",
    description:
      "The S3-compatible server of FRAMEPACK_STORAGE_URL (e.g. http://minio:9000), addressed path-style. Empty = AWS's own endpoints.",
    parse: httpUrl,
  },
  storageRegion: {
    env: "AWS_REGION",
    default: "",
    description:
      "Region of FRAMEPACK_STORAGE_URL's bucket. Empty = the AWS SDK's lookup (the profile); us-east-1 with AWS_ENDPOINT_URL.",
    parse: (raw) => (raw === "" ? null : raw),
  },
  outputPresignS: {
    env: "FRAMEPACK_OUTPUT_PRESIGN_S",
    default: "0",
    description:
      "With FRAMEPACK_STORAGE_URL: /api/outputs/... answers 302 to a presigned URL of the storage valid this many seconds, so the bytes do not pass through the API (the storage must be reachable by clients). 0 = the API streams the file.",
    parse: integer(0, 604_800),
  },
};

function read<K extends keyof Config>(key: K, env: NodeJS.ProcessEnv): Config[K] {
  const setting = SETTINGS[key];
  return setting.parse(env[setting.env] ?? setting.default, setting.env);
}

/** Reads the configuration; a bad value throws a ConfigError that names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const keys = Object.keys(SETTINGS) as (keyof Config)[];
  const config = Object.fromEntries(keys.map((key) => [key, read(key, env)])) as unknown as Config;
  // A service without engines is a replica: only a cluster's agents would run its jobs.
  if (config.devices.length === 0 && config.databaseUrl === null) {
    throw new ConfigError(
      SETTINGS.devices.env,
      "none",
      "engines, or FRAMEPACK_DATABASE_URL too (no engines: an API replica of a cluster)",
    );
  }
  return config;
}

export function enginePython(config: Config): string {
  return resolve(config.engineVenv, "bin", "python");
}
