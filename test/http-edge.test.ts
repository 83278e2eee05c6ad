// The HTTP edge on a real socket, without engines: every refusal in the one error shape
// (Fastify's, its plugins' and Node's own included), text that cannot be encoded as
// UTF-8, and many large bodies at once while the service keeps answering.
import { connect } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUEST_ERROR_CODES, type RequestErrorCode } from "../src/contract/error-codes.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const LARGE_AT_ONCE = 2;
let service: AssembledService;
let port: number;

beforeAll(async () => {
  service = await assembleEngineFreeService({
    maxQueueLength: 1000,
    connectionLimits: { maxHeaderBytes: 8 * 1024, maxLargeRequests: LARGE_AT_ONCE },
  });
  const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  port = Number(new URL(url).port);
});

afterAll(async () => {
  await service.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends raw bytes on a fresh connection; the first answer, read until the server closes or it is whole. */
function rawRequest(...parts: (string | Buffer)[]): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    const answer = (): RawAnswer | undefined => {
      const text = received.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      if (split === -1) return undefined;
      const [statusLine = "", ...lines] = text.slice(0, split).split("\r\n");
      const headers = Object.fromEntries(
        lines.map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const body = text.slice(split + 4);
      const length = Number(headers["content-length"] ?? Number.NaN);
      if (Buffer.byteLength(body) < length) return undefined;
      return { status: Number(statusLine.split(" ")[1]), headers, body };
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const whole = answer();
      if (whole) {
        socket.destroy();
        resolve(whole);
      }
    });
    socket.on("error", () => undefined); // the server may close while we still send
    socket.on("close", () => {
      const whole = answer();
      if (whole) resolve(whole);
      else reject(new Error(`no whole answer: ${received.toString("latin1").slice(0, 200)}`));
    });
    for (const part of parts) socket.write(part);
  });
}

function expectEnvelope(answer: RawAnswer, code: RequestErrorCode): void {
  expect(answer.status, answer.body).toBe(REQUEST_ERROR_CODES[code].status);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as { error: { code: string; message: string } };
  expect(body).toEqual({ error: { code, message: expect.any(String) as string, details: [] } });
}

describe("every refusal has the error envelope with a registry code and its status", () => {
  it("a malformed request line (Node's own 400)", async () => {
    expectEnvelope(await rawRequest("GARBAGE\r\n\r\n"), "bad_request");
  });

  it("a malformed header (Node's own 400)", async () => {
    const answer = await rawRequest("GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n");
    expectEnvelope(answer, "bad_request");
  });

  it("oversized headers (Node's own 431)", async () => {
    const answer = await rawRequest(
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Huge: ${"a".repeat(16 * 1024)}\r\n\r\n`,
    );
    expectEnvelope(answer, "headers_too_large");
  });

  it("a path out of the web page's folder (@fastify/static's 403)", async () => {
    const answer = await rawRequest("GET /ui/%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n");
    expectEnvelope(answer, "forbidden_path");
    const docs = await rawRequest("GET /docs/static/%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n");
    expectEnvelope(docs, "forbidden_path");
  });

  it("malformed JSON (400) and JSON sent as text/plain (415)", async () => {
    const post = (type: string, body: string) =>
      rawRequest(
        `POST /api/generate-image HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    expectEnvelope(await post("application/json", "{not json"), "bad_request");
    expectEnvelope(
      await post("text/plain", JSON.stringify({ prompt: "x" })),
      "unsupported_media_type",
    );
  });

  it("a malformed URL, on /api and off it; FastAPI's shape on a legacy path", async () => {
    expectEnvelope(await rawRequest("GET /api/jobs/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), "bad_url");
    expectEnvelope(await rawRequest("GET /health/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), "bad_url");
    const legacy = await rawRequest("GET /status/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(legacy.status).toBe(400);
    expect(JSON.parse(legacy.body)).toEqual({ detail: "The URL is malformed." });
  });
});

describe("text that cannot be encoded as UTF-8", () => {
  const post = (url: string, json: string) =>
    service.app.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/json" },
      payload: json,
    });

  it.each([
    ["a prompt", "/api/generate-image", '{"prompt": "a \\ud800 cat"}', "prompt"],
    ["a trailing low surrogate", "/api/generate-image", '{"prompt": "cat \\udfff"}', "prompt"],
    ["one of the prompts", "/api/batch-images", '{"prompts": ["ok", "\\udc00"]}', "prompts[1]"],
    [
      "a negative prompt",
      "/api/generate-image",
      '{"prompt": "x", "negative_prompt": "\\ud83d"}',
      "negative_prompt",
    ],
    [
      "a LoRA name",
      "/api/generate-image",
      '{"prompt": "x", "lora_paths": ["\\ud800"]}',
      "lora_paths[0]",
    ],
  ])(
    "%s with a lone surrogate is refused with 422 naming it, and makes no job",
    async (_name, url, json, field) => {
      const before = await service.jobs.list({ limit: 200 });
      const response = await post(url, json);
      expect(response.statusCode).toBe(422);
      const { error } = response.json<{ error: { code: string; details: { field: string }[] } }>();
      expect(error.code).toBe("validation_failed");
      expect(error.details.map((detail) => detail.field)).toEqual([field]);
      expect((await service.jobs.list({ limit: 200 })).jobs).toHaveLength(before.jobs.length);
    },
  );

  it("a well-formed pair (an emoji) is accepted", async () => {
    const response = await post("/api/generate-image", '{"prompt": "a cat \\ud83d\\ude00"}');
    expect(response.statusCode).toBe(202);
  });
});

describe("many large bodies at once", () => {
  it("at most MAX_LARGE_REQUESTS are read; the rest get 503 server_busy at once, and /health stays quick", async () => {
    // A noise picture of 13.8 MB: an 18.5 MB JSON body, as in the report.
    const png = await sharp({
      create: {
        width: 2150,
        height: 2150,
        channels: 3,
        background: "black",
        noise: { type: "gaussian", mean: 128, sigma: 60 },
      },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const body = Buffer.from(
      JSON.stringify({ prompt: "big", input_image: png.toString("base64"), width: 64, height: 64 }),
    );
    expect(body.length).toBeGreaterThan(18_000_000);
    const head =
      "POST /api/generate-image HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${String(body.length)}\r\n\r\n`;

    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 10);
    const healthMs: number[] = [];
    const sending = { on: true };
    const probe = (async () => {
      while (sending.on) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${String(port)}/health`);
        expect(response.status).toBe(200);
        healthMs.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 16 }, () => rawRequest(head, body)));
    const tookMs = performance.now() - started;
    sending.on = false;
    await probe;
    clearInterval(sampler);

    const statuses = answers.map((answer) => answer.status);
    const slowestHealthMs = Math.max(...healthMs);
    const rssGrowthMb = (rssPeak - rssBefore) / 1e6;
    console.log(
      `16 x ${(body.length / 1e6).toFixed(1)} MB: ${statuses.filter((s) => s === 202).length} accepted, ` +
        `${statuses.filter((s) => s === 503).length} refused, in ${tookMs.toFixed(0)} ms; ` +
        `/health asked ${String(healthMs.length)} times, slowest ${slowestHealthMs.toFixed(0)} ms; ` +
        `RSS grew by ${rssGrowthMb.toFixed(0)} MB`,
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(16 - 2 * LARGE_AT_ONCE);
    for (const answer of refused) {
      expectEnvelope(answer, "server_busy");
      expect(answer.headers["retry-after"]).toBe(
        String(REQUEST_ERROR_CODES.server_busy.retryAfterS),
      );
    }
    // Unbounded, these took /health to 1.1-1.9 s and the process up by 0.8-0.9 GB here.
    expect(healthMs.length).toBeGreaterThan(3);
    expect(slowestHealthMs).toBeLessThan(1000);
    expect(rssGrowthMb).toBeLessThan(600);

    // The slots are given back: a large body is read again once the others are done.
    const again = await rawRequest(head, body);
    expect(again.status).toBe(202);
  });
});
