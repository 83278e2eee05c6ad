// Abusive clients on a real socket: slow headers (slowloris), a slow body, silent
// connections and oversized headers are cut off by the configured limits while the
// server keeps answering everyone else; and with API keys on, no route tells anything
// about a real job to a client without a key.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const KEY = "abuse-0123456789abcdef0123456789abcdef";
const LIMITS = {
  requestTimeoutMs: 2000,
  headersTimeoutMs: 1000,
  idleTimeoutMs: 1500,
  keepAliveTimeoutMs: 1000,
  maxHeaderBytes: 8 * 1024,
};

let service: AssembledService;
let port: number;

beforeAll(async () => {
  service = await assembleEngineFreeService({ apiKeys: [KEY], connectionLimits: LIMITS });
  const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  port = Number(new URL(url).port);
});

afterAll(async () => {
  await service.close();
});

interface RawClient {
  socket: Socket;
  /** Everything the server sent so far. */
  received: () => string;
  /** Resolves with the milliseconds from connect until the server closed the connection. */
  closed: Promise<number>;
}

function rawClient(): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.on("error", () => undefined); // a reset is one way of being cut off
    const closed = new Promise<number>((done) =>
      socket.on("close", () => {
        done(Date.now() - started);
      }),
    );
    socket.once("connect", () => {
      resolve({ socket, received: () => text, closed });
    });
    socket.once("error", reject);
  });
}

/** Sends `line` every `everyMs` until the connection closes. */
function trickle(client: RawClient, line: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (!client.socket.destroyed) client.socket.write(line);
  }, everyMs);
  void client.closed.then(() => {
    clearInterval(timer);
  });
}

async function healthAnswersQuickly(): Promise<void> {
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  expect(response.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(500);
}

describe("slow and abusive clients", () => {
  it("slowloris clients are cut off after the headers timeout; others are served meanwhile", async () => {
    const slow = await Promise.all(Array.from({ length: 50 }, rawClient));
    for (const client of slow) {
      client.socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n");
      trickle(client, "X-Slow: 1\r\n", 200);
    }
    await healthAnswersQuickly();
    const cutAfter = await Promise.all(slow.map((client) => client.closed));
    await healthAnswersQuickly();
    // Cut at the headers timeout (1 s), give or take the checking interval, never left open.
    expect(Math.max(...cutAfter)).toBeLessThan(LIMITS.headersTimeoutMs + 1500);
    expect(slow[0]?.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("a body sent too slowly is cut off after the request timeout", async () => {
    const client = await rawClient();
    client.socket.write(
      "POST /api/generate-image HTTP/1.1\r\nHost: localhost\r\n" +
        `Authorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    trickle(client, " ", 200);
    await healthAnswersQuickly();
    expect(await client.closed).toBeLessThan(LIMITS.requestTimeoutMs + 1500);
  });

  it("a connection that says nothing is closed after the idle timeout", async () => {
    const client = await rawClient();
    expect(await client.closed).toBeLessThan(LIMITS.idleTimeoutMs + 1500);
  });

  it("an oversized header gets 431 and the server answers the next request", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/health`, {
      headers: { "x-huge": "a".repeat(LIMITS.maxHeaderBytes * 2) },
    });
    expect(response.status).toBe(431);
    await healthAnswersQuickly();
  });
});

describe("with API keys on, a client without a key", () => {
  it("learns nothing about a real job from any route", async () => {
    const created = await service.app.inject({
      method: "POST",
      url: "/api/generate-image",
      headers: { authorization: `Bearer ${KEY}` },
      payload: { prompt: "a secret prompt", width: 64, height: 64, steps: 1 },
    });
    expect(created.statusCode).toBe(202);
    const jobId = created.json<{ job_id: string }>().job_id;
    const job = await service.jobs.get(jobId);
    const ids = [jobId, job?.legacyId].filter((id): id is string => Boolean(id));

    const paths = (service.app.swagger() as { paths: Record<string, Record<string, unknown>> })
      .paths;
    const asked: string[] = [];
    for (const [pattern, operations] of Object.entries(paths)) {
      if (pattern === "/health") continue; // public: liveness only
      for (const method of Object.keys(operations).map((name) => name.toUpperCase())) {
        // Path parameters get the real job's id (and a file name of it).
        const url = pattern.replace(/\{(\w+)\}/g, (_match, name: string) =>
          name.includes("file") ? `${jobId}.mp4` : jobId,
        );
        const answer = await service.app.inject({ method: method as "GET", url });
        asked.push(`${method} ${pattern}`);
        expect(answer.statusCode, `${method} ${url}`).toBe(401);
        for (const id of ids) expect(answer.body, `${method} ${url}`).not.toContain(id);
        expect(answer.body).not.toContain("secret prompt");
      }
    }
    expect(asked).toEqual(expect.arrayContaining(["GET /api/jobs/{id}", "GET /status/{job_id}"]));
  });
});
