// The service's one typed configuration. Every setting is read from the environment
// here and nowhere else; the table below is also the documentation of the defaults.
import { isAbsolute, resolve } from "node:path";
import { PROJECT_ROOT } from "./paths.js";

export interface Config {
  /** Interface the HTTP server binds to. */
  apiHost: string;
  apiPort: number;
  /** Root of everything the service writes: database, outputs, the tiny model set. */
  dataDir: string;
  /** Model root with the Hugging Face repo layout; null = generate and use the tiny demo set. */
  modelRoot: string | null;
  /** Engine device: auto, cpu, cuda or cuda:N. */
  device: string;
  /** The engine virtual environment directory (created by scripts/engine-env.sh). */
  engineVenv: string;
  /** The engine's Python package directory. */
  engineDir: string;
  heartbeatIntervalS: number;
  engineStartTimeoutMs: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
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

function device(raw: string, env: string): string {
  if (!/^(auto|cpu|cuda(:\d+)?)$/.test(raw)) {
    throw new ConfigError(env, raw, "auto, cpu, cuda or cuda:N");
  }
  return raw;
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
    description: "Where the service keeps its database, outputs and the tiny demo model set.",
    parse: path,
  },
  modelRoot: {
    env: "FRAMEPACK_MODEL_ROOT",
    default: "",
    description:
      "Model root with the real weights in the Hugging Face repo layout; empty = the tiny random-weight demo set (outputs are noise).",
    parse: optionalPath,
  },
  device: {
    env: "FRAMEPACK_DEVICE",
    default: "auto",
    description: "Engine device: auto (first CUDA GPU, else CPU), cpu, cuda or cuda:N.",
    parse: device,
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
    description: "Log level: fatal, error, warn, info, debug or trace.",
    parse: oneOf("fatal", "error", "warn", "info", "debug", "trace"),
  },
};

function read<K extends keyof Config>(key: K, env: NodeJS.ProcessEnv): Config[K] {
  const setting = SETTINGS[key];
  return setting.parse(env[setting.env] ?? setting.default, setting.env);
}

/** Reads the configuration; a bad value throws a ConfigError that names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const keys = Object.keys(SETTINGS) as (keyof Config)[];
  return Object.fromEntries(keys.map((key) => [key, read(key, env)])) as unknown as Config;
}

export function enginePython(config: Config): string {
  return resolve(config.engineVenv, "bin", "python");
}
