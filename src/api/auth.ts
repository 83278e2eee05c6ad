// API keys: when keys are configured every route but /health and the docs needs
// `Authorization: Bearer <key>` or `X-API-Key: <key>`. Keys are compared in constant
// time and never logged; jobs record only a short hash of the key that made them.
// Each key is a tenant that sees and acts on its own jobs only; admin keys see all
// (docs/api.md §8).
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import { API_KEY_PATTERN } from "../config.js";
import type { JobScope, Submitter } from "../jobs/service.js";
import { sendRefusal } from "./errors.js";

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

const CENSORED = "[redacted]";

/**
 * A URL as the log shows it: the path, and the query string censored whole (a client
 * may put a key there, `?api_key=...`, which the service refuses but still logs).
 */
export function redactedUrl(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : `${url.slice(0, query)}?${CENSORED}`;
}

/**
 * pino's `redact` option for the service logger. Fastify's request serializer logs the
 * URL and no headers: the URL's query string is censored, and the key headers are,
 * should any log line ever carry them.
 */
export const LOG_REDACTION = {
  paths: [
    "req.url",
    "req.headers.authorization",
    'req.headers["x-api-key"]',
    "headers.authorization",
    'headers["x-api-key"]',
  ],
  censor: (value: unknown, path: string[]): unknown =>
    path.at(-1) === "url" && typeof value === "string" ? redactedUrl(value) : CENSORED,
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

/** What a request let in with a key is: its key's hash, and whether the key is an admin's. */
interface Holder {
  keyHash: string;
  admin: boolean;
}

/** A key's digest and whether it is an admin key. */
interface KnownKey {
  digest: Buffer;
  admin: boolean;
}

export class ApiKeyAuth {
  /** SHA-256 digests of the keys: equal length, so comparing them leaks no key length. */
  readonly #keys: KnownKey[];
  /** Who each request let in with a key holds it, for submitter() and scope(). */
  readonly #holders = new WeakMap<FastifyRequest, Holder>();

  /** `keys`: tenants, each seeing its own jobs; `adminKeys`: seeing and acting on all. */
  constructor(keys: readonly string[], adminKeys: readonly string[] = []) {
    const admins = new Set(adminKeys);
    const tenants = [...new Set(keys)].filter((key) => !admins.has(key));
    this.#keys = [
      ...tenants.map((key) => ({ digest: sha256(key), admin: false })),
      ...[...admins].map((key) => ({ digest: sha256(key), admin: true })),
    ];
  }

  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  /**
   * The key `candidate` is, compared against every key without stopping at a match, in
   * constant time; undefined when it is none.
   */
  #match(candidate: string): KnownKey | undefined {
    const digest = sha256(candidate);
    let matched: KnownKey | undefined;
    for (const known of this.#keys) {
      if (timingSafeEqual(known.digest, digest)) matched = known;
    }
    return matched;
  }

  accepts(candidate: string): boolean {
    return this.#match(candidate) !== undefined;
  }

  /**
   * The onRequest hook; answers 401 (no key) or 403 (wrong key) and stops the request,
   * in FastAPI's shape on the legacy routes' paths (`isLegacyPath`).
   */
  hook(isLegacyPath: (url: string) => boolean) {
    return async (
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<FastifyReply | undefined> => {
      if (!this.enabled || isPublic(request.routeOptions.url)) return;
      const key = presentedKey(request);
      const known = key === undefined ? undefined : this.#match(key);
      if (key !== undefined && known) {
        this.#holders.set(request, { keyHash: apiKeyHash(key), admin: known.admin });
        return;
      }
      const missing = key === undefined;
      request.log.warn({ reason: missing ? "missing" : "invalid" }, "refused: API key");
      void reply.header("www-authenticate", missing ? "Bearer" : 'Bearer error="invalid_token"');
      const legacy = { path: isLegacyPath(request.url) };
      return missing
        ? sendRefusal(
            reply,
            "unauthorized",
            "An API key is required: Authorization: Bearer <key>.",
            {
              ...legacy,
              text: "Not authenticated",
            },
          )
        : sendRefusal(reply, "forbidden", "The API key is not valid.", {
            ...legacy,
            text: "Invalid API key",
          });
    };
  }

  /** Who submits a job, for fairness and per-key queue limits. */
  readonly submitter = (request: FastifyRequest): Submitter => ({
    apiKeyHash: this.#holders.get(request)?.keyHash ?? null,
  });

  /**
   * Whose jobs a request may see and act on: all of them without keys or with an admin
   * key, else its own key's. (A request the key check did not let in, which no job
   * route ever sees, would match no job: no key hash is empty.)
   */
  readonly scope = (request: FastifyRequest): JobScope => {
    if (!this.enabled) return "all";
    const holder = this.#holders.get(request);
    return holder?.admin ? "all" : { apiKeyHash: holder?.keyHash ?? "" };
  };
}

/**
 * The configured keys: API_KEYS plus API_KEYS_FILE, or API_ADMIN_KEYS plus
 * API_ADMIN_KEYS_FILE (one a line; blank lines and `#` comments ignored). A bad line
 * is named by number, never by content.
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
