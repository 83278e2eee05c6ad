// API keys, CORS and key-free logs, on the HTTP layer of a service without engines.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiKeyHash,
  ApiKeyAuth,
  loadApiKeys,
  LOG_REDACTION,
  PUBLIC_ROUTES,
} from "../src/api/auth.js";
import { LEGACY_TAGS } from "../src/api/legacy/options.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { makeTempDir } from "./helpers/engine.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const KEY = "k3y-0123456789abcdef0123456789abcdef";
const OTHER_KEY = "other-fedcba9876543210fedcba9876543210";
const WRONG_KEY = "k3y-0123456789abcdef0123456789abcdeX";
const ORIGIN = "https://app.example";

interface Route {
  method: string;
  pattern: string;
}

/**
 * Every route the app serves, from Fastify's route tree (so routes added later, the
 * legacy ones included, are covered without listing them here).
 */
function registeredRoutes(service: AssembledService): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of service.app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? "").length / 4;
    parents.length = depth;
    const path = (parents.at(-1) ?? "") + (match[2] ?? "");
    parents.push(path);
    for (const method of (match[3] ?? "").split(", ").filter(Boolean)) {
      routes.push({ method, pattern: path.replace(/\/\//g, "/") });
    }
  }
  return routes;
}

const isPublic = (pattern: string) =>
  PUBLIC_ROUTES.some((open) =>
    open.endsWith("/*") ? pattern.startsWith(open.slice(0, -1)) : pattern === open,
  );

/** A concrete URL for a route pattern: parameters and wildcards get sample values. */
const sampleUrl = (pattern: string) =>
  pattern.replace(/:[A-Za-z_]+/g, "abc123").replace(/\*$/, "anything");

let service: AssembledService;

beforeAll(async () => {
  service = await assembleEngineFreeService({
    apiKeys: [KEY, OTHER_KEY],
    maxQueuePerKey: 1,
  });
  await service.app.ready();
});

afterAll(async () => {
  await service.close();
});

describe("with API keys configured", () => {
  it("every route but /health and the docs refuses a missing (401) or wrong (403) key", async () => {
    const routes = registeredRoutes(service);
    // The parse is checked against what OpenAPI lists, so a format change cannot
    // silently shrink the test to nothing.
    const documented = Object.keys((service.app.swagger() as { paths: object }).paths);
    const patterns = new Set(routes.map((route) => route.pattern.replace(/:(\w+)/g, "{$1}")));
    for (const path of documented) expect(patterns).toContain(path);
    expect(patterns).toContain("/metrics");
    expect(patterns).toContain("/openapi.json");

    const legacyPatterns = new Set(
      Object.entries(
        (service.app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> })
          .paths,
      )
        .filter(([, operations]) =>
          Object.values(operations).some((operation) =>
            operation.tags?.includes(LEGACY_TAGS[0] ?? ""),
          ),
        )
        .map(([path]) => path.replace(/\{(\w+)\}/g, ":$1")),
    );
    expect(legacyPatterns).toContain("/status/:job_id");
    const checked: string[] = [];
    for (const { method, pattern } of routes) {
      const url = sampleUrl(pattern);
      const missing = await service.app.inject({ method: method as "GET", url });
      const wrong = await service.app.inject({
        method: method as "GET",
        url,
        headers: { authorization: `Bearer ${WRONG_KEY}` },
      });
      if (isPublic(pattern)) {
        // The tree misprints the docs' static wildcard; those files are checked below.
        if (pattern.includes("*")) continue;
        expect([401, 403], `${method} ${url}`).not.toContain(missing.statusCode);
        continue;
      }
      checked.push(`${method} ${pattern}`);
      expect(missing.statusCode, `${method} ${url}`).toBe(401);
      expect(missing.headers["www-authenticate"]).toBe("Bearer");
      expect(wrong.statusCode, `${method} ${url}`).toBe(403);
      if (method === "HEAD") continue;
      if (legacyPatterns.has(pattern)) {
        // The legacy FramePack-FastAPI routes keep FastAPI's shape.
        expect(missing.json()).toEqual({ detail: "Not authenticated" });
        expect(wrong.json()).toEqual({ detail: "Invalid API key" });
      } else {
        // Everything else, /metrics included, answers in the envelope.
        expect(missing.json()).toMatchObject({ error: { code: "unauthorized" } });
        expect(wrong.json()).toMatchObject({ error: { code: "forbidden" } });
      }
    }
    expect(checked).toContain("GET /status/:job_id");
    expect(checked).toContain("POST /api/generate-image");
    expect(checked).toContain("GET /metrics");
    expect(checked).toContain("GET /api/jobs/:id/events");
  });

  it("an unknown path needs a key too (no probing for routes)", async () => {
    expect((await service.app.inject({ url: "/api/nothing-here" })).statusCode).toBe(401);
    const found = await service.app.inject({
      url: "/api/nothing-here",
      headers: { "x-api-key": KEY },
    });
    expect(found.statusCode).toBe(404);
  });

  it("/health and the docs stay open", async () => {
    expect((await service.app.inject({ url: "/health" })).statusCode).toBe(200);
    expect((await service.app.inject({ url: "/docs" })).statusCode).toBe(200);
    expect((await service.app.inject({ url: "/docs/json" })).statusCode).toBe(200);
    const script = await service.app.inject({ url: "/docs/static/swagger-initializer.js" });
    expect(script.statusCode).toBe(200);
    // A missing docs file is a plain 404, not a demand for a key.
    const missingFile = await service.app.inject({ url: "/docs/static/no-such-file.js" });
    expect(missingFile.statusCode).toBe(404);
  });

  it("accepts the key as a Bearer token or as X-API-Key", async () => {
    for (const headers of [
      { authorization: `Bearer ${KEY}` },
      { authorization: `bearer ${OTHER_KEY}` },
      { "x-api-key": KEY },
    ]) {
      const jobs = await service.app.inject({ url: "/api/jobs", headers });
      expect(jobs.statusCode, JSON.stringify(headers)).toBe(200);
      expect((await service.app.inject({ url: "/metrics", headers })).statusCode).toBe(200);
    }
    // A key of a different length, an empty token, another scheme: refused alike.
    for (const [headers, status] of [
      [{ authorization: `Bearer ${KEY}x` }, 403],
      [{ authorization: `Bearer ${KEY.slice(0, 8)}` }, 403],
      [{ authorization: "Bearer " }, 401],
      [{ authorization: `Basic ${Buffer.from(`u:${KEY}`).toString("base64")}` }, 401],
      [{ "x-api-key": "" }, 401],
    ] as const) {
      const response = await service.app.inject({ url: "/api/jobs", headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(status);
    }
  });

  it("jobs record the key's hash, and the per-key queue limit counts per key", async () => {
    const submit = (key: string) =>
      service.app.inject({
        method: "POST",
        url: "/api/generate-image",
        headers: { authorization: `Bearer ${key}` },
        payload: { prompt: "a key", width: 128, height: 96, steps: 3 },
      });
    const first = await submit(KEY);
    expect(first.statusCode).toBe(202);
    const job = await service.store.get(first.json<{ job_id: string }>().job_id);
    expect(job?.apiKeyHash).toBe(apiKeyHash(KEY));
    expect(job?.apiKeyHash).not.toContain(KEY.slice(0, 8));
    // The engine-free service leaves it pending: the key's one slot is taken.
    expect((await submit(KEY)).statusCode).toBe(429);
    expect((await submit(OTHER_KEY)).statusCode).toBe(202);
  });
});

describe("API key configuration", () => {
  it("reads API_KEYS; a bad key is refused without printing it", () => {
    expect(loadConfig({}).apiKeys).toEqual([]);
    expect(loadConfig({ API_KEYS: ` ${KEY}, ,${OTHER_KEY} ` }).apiKeys).toEqual([KEY, OTHER_KEY]);
    const bad = () => loadConfig({ API_KEYS: "secret with spaces" });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/API_KEYS/);
    expect(bad).not.toThrow(/secret/);
  });

  it("reads API_KEYS_FILE: one a line, comments and blank lines ignored", async () => {
    const file = join(makeTempDir("keys"), "keys.txt");
    writeFileSync(file, `# service keys\n${OTHER_KEY}\n\n  ${KEY}  \n`);
    const config = loadConfig({ API_KEYS: "from-env-0123456789", API_KEYS_FILE: file });
    expect(await loadApiKeys(config.apiKeys, config.apiKeysFile)).toEqual([
      "from-env-0123456789",
      OTHER_KEY,
      KEY,
    ]);
    writeFileSync(file, `${KEY}\nnot a key\n`);
    const failure = await loadApiKeys([], file).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/keys\.txt:2/);
    expect((failure as Error).message).not.toContain("not a key");
  });

  it("without keys every route is open and jobs carry no key hash", async () => {
    const auth = new ApiKeyAuth([]);
    expect(auth.enabled).toBe(false);
    const open = await assembleEngineFreeService();
    try {
      const response = await open.app.inject({
        method: "POST",
        url: "/api/generate-image",
        headers: { "x-api-key": KEY },
        payload: { prompt: "open", width: 128, height: 96, steps: 3 },
      });
      expect(response.statusCode).toBe(202);
      const job = await open.store.get(response.json<{ job_id: string }>().job_id);
      expect(job?.apiKeyHash).toBeNull();
      expect((await open.app.inject({ url: "/metrics" })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("logs", () => {
  it("carry request ids and never an API key", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: "trace", redact: LOG_REDACTION }, sink);
    const logged = await assembleEngineFreeService({ apiKeys: [KEY], logger });
    try {
      for (const headers of [
        { authorization: `Bearer ${KEY}` },
        { "x-api-key": KEY },
        { authorization: `Bearer ${WRONG_KEY}` },
        { "x-api-key": WRONG_KEY },
      ]) {
        await logged.app.inject({ url: "/api/jobs", headers });
        await logged.app.inject({ method: "POST", url: "/api/generate-image", headers });
        await logged.app.inject({ url: "/no-such-route", headers });
      }
      // A key in the query string is refused (only headers carry keys) and not logged.
      for (const url of [
        `/api/jobs?api_key=${KEY}`,
        `/api/jobs?limit=5&api_key=${WRONG_KEY}`,
        `/status/0badc0de?api_key=${KEY}`,
        `/no-such-route?${KEY}`,
      ]) {
        expect((await logged.app.inject({ url })).statusCode).toBe(401);
      }
      await logged.app.inject({ url: `/health?key=${KEY}` });
      // Should anything ever log a request's headers, the keys are censored.
      logger.info({ req: { headers: { authorization: `Bearer ${KEY}`, "x-api-key": KEY } } });
      logger.info({ headers: { authorization: `Bearer ${KEY}`, "x-api-key": KEY } });
    } finally {
      await logged.close();
    }
    const text = lines.join("");
    expect(lines.length).toBeGreaterThan(10);
    expect(text).toContain('"reqId"');
    expect(text).toContain("[redacted]");
    // The path stays; the query string is censored whole.
    expect(text).toContain('"url":"/api/jobs?[redacted]"');
    expect(text).toContain('"url":"/status/0badc0de?[redacted]"');
    expect(text).toContain('"url":"/health?[redacted]"');
    for (const secret of [KEY, WRONG_KEY, KEY.slice(4, 20), WRONG_KEY.slice(4, 20)]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("CORS", () => {
  let cors: AssembledService;

  beforeAll(async () => {
    cors = await assembleEngineFreeService({ apiKeys: [KEY], allowedOrigins: [ORIGIN] });
  });

  afterAll(async () => {
    await cors.close();
  });

  const preflight = (origin: string) =>
    cors.app.inject({
      method: "OPTIONS",
      url: "/api/generate-image",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });

  it("answers an allowed origin's preflight without a key", async () => {
    const response = await preflight(ORIGIN);
    expect(response.statusCode).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(response.headers["access-control-allow-methods"]).toContain("POST");
    expect(response.headers["access-control-allow-headers"]).toBe("authorization, content-type");
  });

  it("grants an allowed origin, also on a refusal, and exposes Retry-After", async () => {
    const ok = await cors.app.inject({
      url: "/api/jobs",
      headers: { origin: ORIGIN, authorization: `Bearer ${KEY}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(ok.headers["access-control-expose-headers"]).toContain("Retry-After");
    expect(ok.headers.vary).toContain("Origin");
    const refused = await cors.app.inject({ url: "/api/jobs", headers: { origin: ORIGIN } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers["access-control-allow-origin"]).toBe(ORIGIN);
  });

  it("grants nothing to another origin", async () => {
    const other = "https://evil.example";
    expect((await preflight(other)).headers["access-control-allow-origin"]).toBeUndefined();
    const response = await cors.app.inject({
      url: "/api/jobs",
      headers: { origin: other, authorization: `Bearer ${KEY}` },
    });
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("sends no CORS headers without ALLOWED_ORIGINS; '*' allows any origin", async () => {
    const response = await service.app.inject({
      url: "/health",
      headers: { origin: ORIGIN },
    });
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    const any = await assembleEngineFreeService({ allowedOrigins: ["*"] });
    try {
      const anyResponse = await any.app.inject({ url: "/health", headers: { origin: ORIGIN } });
      expect(anyResponse.headers["access-control-allow-origin"]).toBe("*");
    } finally {
      await any.close();
    }
  });

  it("reads ALLOWED_ORIGINS", () => {
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    expect(
      loadConfig({ ALLOWED_ORIGINS: "https://a.example/, http://localhost:3000" }).allowedOrigins,
    ).toEqual(["https://a.example", "http://localhost:3000"]);
    expect(loadConfig({ ALLOWED_ORIGINS: "*" }).allowedOrigins).toEqual(["*"]);
    expect(() => loadConfig({ ALLOWED_ORIGINS: "a.example/path" })).toThrow(/ALLOWED_ORIGINS/);
  });
});
