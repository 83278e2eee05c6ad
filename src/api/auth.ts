// API keys: when keys are configured every route but /health and the docs needs
// `Authorization: Bearer <key>` or `X-API-Key: <key>`. Keys are compared in constant
// time and never logged; jobs record only a short hash of the key that made them.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import { API_KEY_PATTERN } from "../config.js";
import type { Submitter } from "../jobs/service.js";
import { REQUEST_ERROR_CODES } from "../contract/error-codes.js";
import { sendError } from "./errors.js";

/**
 * Route patterns anyone may call: liveness, the API documentation, and the web UI's
 * static page and files (they hold no data; the page asks for the key).
 */
export const PUBLIC_ROUTES: readonly string[] = [
  "/health",
  "/docs",
  "/docs/*",
  "/openapi.json",
  "/",
  "/ui/*",
];

/**
 * pino's `redact` option for the service logger. Fastify's request serializer logs no
 * headers; this censors the key headers should any log line ever carry them.
 */
export const LOG_REDACTION = {
  paths: [
    "req.headers.authorization",
    'req.headers["x-api-key"]',
    "headers.authorization",
    'headers["x-api-key"]',
  ],
  censor: "[redacted]",
};

/** Keys shorter than this are accepted but reported at start-up as easy to guess. */
export const SHORT_KEY_LENGTH = 32;

/** The hash jobs and the per-key queue limits know a key by (never the key itself). */
export function apiKeyHash(key: string): string {
  return sha256(key).toString("hex").slice(0, 16);
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function isPublic(routePattern: string | undefined): boolean {
  if (routePattern === undefined) return false; // no route: a 404 also needs a key
  return PUBLIC_ROUTES.some((publicRoute) =>
    publicRoute.endsWith("/*")
      ? routePattern.startsWith(publicRoute.slice(0, -1))
      : routePattern === publicRoute,
  );
}

/** The key a request presents: a Bearer token first, else X-API-Key; undefined when none. */
function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  const bearer = authorization?.match(/^Bearer[ \t]+(\S+)[ \t]*$/i)?.[1];
  if (bearer) return bearer;
  const header = request.headers["x-api-key"];
  const key = (Array.isArray(header) ? header[0] : header)?.trim();
  return key || undefined;
}

export class ApiKeyAuth {
  /** SHA-256 digests of the keys: equal length, so comparing them leaks no key length. */
  readonly #digests: Buffer[];
  /** The key hash of each request let in with a key, for submitter(). */
  readonly #keyHashes = new WeakMap<FastifyRequest, string>();

  constructor(keys: readonly string[]) {
    this.#digests = [...new Set(keys)].map(sha256);
  }

  get enabled(): boolean {
    return this.#digests.length > 0;
  }

  /** Compares against every key, without stopping at a match, in constant time. */
  accepts(candidate: string): boolean {
    const digest = sha256(candidate);
    let matched = false;
    for (const known of this.#digests) matched = timingSafeEqual(known, digest) || matched;
    return matched;
  }

  /** The onRequest hook; answers 401 (no key) or 403 (wrong key) and stops the request. */
  readonly check = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    if (!this.enabled || isPublic(request.routeOptions.url)) return;
    const key = presentedKey(request);
    if (key !== undefined && this.accepts(key)) {
      this.#keyHashes.set(request, apiKeyHash(key));
      return;
    }
    const missing = key === undefined;
    request.log.warn({ reason: missing ? "missing" : "invalid" }, "refused: API key");
    void reply.header("www-authenticate", missing ? "Bearer" : 'Bearer error="invalid_token"');
    return refuse(request, reply, missing);
  };

  /** Who submits a job, for fairness and per-key queue limits. */
  readonly submitter = (request: FastifyRequest): Submitter => ({
    apiKeyHash: this.#keyHashes.get(request) ?? null,
  });
}

/** /api/* gets the API envelope; the legacy routes keep FastAPI's {"detail": ...}. */
function refuse(request: FastifyRequest, reply: FastifyReply, missing: boolean): FastifyReply {
  const code = missing ? "unauthorized" : "forbidden";
  if (request.url.startsWith("/api/")) {
    const message = missing
      ? "An API key is required: Authorization: Bearer <key>."
      : "The API key is not valid.";
    return sendError(reply, code, message);
  }
  const detail = missing ? "Not authenticated" : "Invalid API key";
  return reply.status(REQUEST_ERROR_CODES[code].status).send({ detail });
}

/**
 * The configured keys: API_KEYS plus API_KEYS_FILE (one a line; blank lines and
 * `#` comments ignored). A bad line is named by number, never by content.
 */
export async function loadApiKeys(keys: readonly string[], file: string | null): Promise<string[]> {
  if (file === null) return [...keys];
  const fromFile: string[] = [];
  const lines = (await readFile(file, "utf8")).split(/\r?\n/);
  lines.forEach((line, index) => {
    const key = line.trim();
    if (key === "" || key.startsWith("#")) return;
    if (!API_KEY_PATTERN.test(key)) {
      throw new Error(
        `${file}:${index + 1}: an API key must be printable ASCII without spaces or commas`,
      );
    }
    fromFile.push(key);
  });
  return [...keys, ...fromFile];
}
