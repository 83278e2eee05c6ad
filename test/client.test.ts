// The client SDK: generated from the current OpenAPI document, and working against the
// service (typed calls, the API key, error envelopes, downloads, the event stream and its
// resume), also through a proxy at a path prefix that spoils event streams.
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFramePackClient,
  EventStreamLostError,
  FramePackError,
  unwrap,
  type FramePackClient,
  type JobStreamEvent,
} from "../src/client/index.js";
import {
  assembleEngineFreeService,
  startTestService,
  type TestService,
} from "./helpers/service.js";

describe("the generated client", () => {
  it("is up to date with the service's OpenAPI document", async () => {
    const script = join(import.meta.dirname, "..", "scripts", "client-gen.mjs");
    await expect(promisify(execFile)("node", [script, "--check"])).resolves.toBeDefined();
  });
});

describe("the API key and download URLs", () => {
  const key = "client-test-key-0123456789abcdef0123456789";

  it.each(["\n", "\r", "\0", " ", "é"])(
    "a key with %j is refused at once, without quoting it",
    (character) => {
      const create = () =>
        createFramePackClient({ baseUrl: "http://127.0.0.1:1", apiKey: `${key}${character}x` });
      expect(create).toThrow("The API key holds a character an HTTP header cannot carry");
      try {
        create();
      } catch (error) {
        expect((error as Error).message).not.toContain(key);
      }
    },
  );

  it("downloads under the base URL's path, and never sends the key to another origin", async () => {
    const requests: { url: string; authorization: string | null }[] = [];
    const recordingFetch = (input: URL, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get("authorization");
      requests.push({ url: input.href, authorization });
      return Promise.resolve(new Response(new Uint8Array([1, 2, 3])));
    };
    const client = createFramePackClient({
      baseUrl: "http://proxy.test/fp/",
      apiKey: key,
      fetch: recordingFetch as typeof fetch,
    });
    expect(await client.download("/api/outputs/j/0.png")).toEqual(new Uint8Array([1, 2, 3]));
    await client.download("http://proxy.test/api/outputs/j/1.png"); // its own origin, as given
    for (const url of ["http://elsewhere.test/0.png", "//elsewhere.test/0.png"]) {
      await expect(client.download(url)).rejects.toThrow(
        "Refusing to download http://elsewhere.test/0.png: not the service's origin",
      );
    }
    expect(requests).toEqual([
      { url: "http://proxy.test/fp/api/outputs/j/0.png", authorization: `Bearer ${key}` },
      { url: "http://proxy.test/api/outputs/j/1.png", authorization: `Bearer ${key}` },
    ]);
  });
});

describe("against a service without engines", () => {
  const key = "client-test-key-0123456789abcdef0123456789";
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const service = await assembleEngineFreeService({ apiKeys: [key] });
    url = await service.app.listen({ host: "127.0.0.1", port: 0 });
    close = service.close;
  });

  afterAll(async () => {
    await close();
  });

  it("sends the API key, and turns a refusal into a FramePackError with the server's message", async () => {
    const client = createFramePackClient({ baseUrl: url, apiKey: key });
    const page = await unwrap(client.GET("/api/jobs", { params: { query: { limit: 5 } } }));
    expect(page.jobs).toEqual([]);

    const refused = unwrap(client.POST("/api/generate-image", { body: { prompt: "x", steps: 0 } }));
    await expect(refused).rejects.toBeInstanceOf(FramePackError);
    await expect(refused).rejects.toMatchObject({
      status: 422,
      code: "validation_failed",
      details: [{ field: "steps" }],
    });

    const keyless = createFramePackClient({ baseUrl: url });
    await expect(unwrap(keyless.GET("/api/loras"))).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining("API key") as unknown,
    });
  });

  it("refuses the event stream of an unknown job without reconnecting", async () => {
    const client = createFramePackClient({ baseUrl: url, apiKey: key });
    const events = client.events("no-such-job", { reconnectDelayMs: 60_000 });
    await expect(events.next()).rejects.toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("against the tiny engine", () => {
  let service: TestService;
  let client: FramePackClient;

  beforeAll(async () => {
    service = await startTestService();
    client = createFramePackClient({ baseUrl: service.url });
  });

  afterAll(async () => {
    await service.close();
  });

  async function collect(events: AsyncIterable<JobStreamEvent>): Promise<JobStreamEvent[]> {
    const all: JobStreamEvent[] = [];
    for await (const event of events) all.push(event);
    return all;
  }

  it("submits, follows typed events to done, resumes after an id, and downloads the PNG", async () => {
    const accepted = await unwrap(
      client.POST("/api/generate-image", {
        body: { prompt: "a lighthouse", width: 128, height: 96, steps: 3, seed: 7 },
      }),
    );
    expect(accepted.status).toBe("pending");
    const events = await collect(client.events(accepted.job_id));
    const first = events[0]?.id ?? 0;
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => first + index));
    expect(events.some((event) => event.event === "progress" && event.data.total > 0)).toBe(true);
    const done = events.at(-1);
    if (done?.event !== "done") throw new Error("the stream did not end with done");
    expect(done.data).toMatchObject({ id: accepted.job_id, status: "completed" });

    const resumed = await collect(client.events(accepted.job_id, { lastEventId: events[1]?.id }));
    expect(resumed.map((event) => event.id)).toEqual(events.slice(2).map((event) => event.id));

    const [image] = done.data.result?.images ?? [];
    expect(image).toMatchObject({ seed: 7, width: 128, height: 96 });
    const png = await client.download(image?.url ?? "");
    expect(Buffer.from(png.subarray(1, 4)).toString("latin1")).toBe("PNG");
  });

  describe("through a proxy at /fp that spoils event streams", () => {
    let proxy: Awaited<ReturnType<typeof startFlakyProxy>>;
    let viaProxy: FramePackClient;

    beforeAll(async () => {
      proxy = await startFlakyProxy(service.url);
      viaProxy = createFramePackClient({ baseUrl: proxy.url });
    });

    afterAll(async () => {
      await proxy.close();
    });

    const submit = (prompt: string) =>
      unwrap(
        viaProxy.POST("/api/generate-image", {
          body: { prompt, width: 128, height: 96, steps: 8, seed: 5 },
        }),
      );

    it("rides out a cut, a 503 and a silent stream, resuming where it was, and downloads", async () => {
      proxy.streams.length = 0;
      proxy.faults.push("cut", "unavailable", "silent");
      const { job_id: id } = await submit("through a flaky proxy");
      const events = await collect(
        viaProxy.events(id, { reconnectDelayMs: 20, idleTimeoutMs: 1000 }),
      );

      // Every event once, in order: the same as the service's own record of them.
      const direct = await collect(client.events(id));
      expect(events.map((event) => event.id)).toEqual(direct.map((event) => event.id));
      // The three faults, then streams passed on (more than one when the job was quiet
      // for longer than the idle timeout: the client cannot tell that from a dead line).
      const [cut, unavailable, silent, passed] = proxy.streams;
      expect(proxy.streams.length).toBeGreaterThanOrEqual(4);
      // Each reconnect resumes after the last event it had.
      const resumedFrom = proxy.streams.slice(1).map((stream) => Number(stream.lastEventId));
      expect(resumedFrom.every((lastId) => events.some((event) => event.id === lastId))).toBe(true);
      // The 503's Retry-After: 1 was honoured, and the silence ended after the idle timeout.
      expect((silent?.at ?? 0) - (unavailable?.at ?? 0)).toBeGreaterThanOrEqual(990);
      expect((passed?.at ?? 0) - (silent?.at ?? 0)).toBeGreaterThanOrEqual(990);
      expect(cut?.lastEventId).toBeUndefined();

      const done = events.at(-1);
      if (done?.event !== "done") throw new Error("the stream did not end with done");
      const png = await viaProxy.download(done.data.result?.images[0]?.url ?? "");
      expect(Buffer.from(png.subarray(1, 4)).toString("latin1")).toBe("PNG");
    });

    it("gives up after reconnectForMs of failures, naming the job", async () => {
      proxy.streams.length = 0;
      const { job_id: id } = await submit("through a proxy that is down");
      proxy.state.down = true;
      try {
        const events = viaProxy.events(id, { reconnectDelayMs: 20, reconnectForMs: 500 });
        await expect(collect(events)).rejects.toBeInstanceOf(EventStreamLostError);
        await expect(collect(viaProxy.events(id, { reconnectForMs: 0 }))).rejects.toMatchObject({
          jobId: id,
          message: `lost the event stream of job ${id}: HTTP 502: Bad Gateway`,
        });
      } finally {
        proxy.state.down = false;
      }
      // Backing off: a handful of tries in half a second, not hundreds.
      expect(proxy.streams.length).toBeGreaterThanOrEqual(4);
      expect(proxy.streams.length).toBeLessThanOrEqual(12);
      await collect(client.events(id)); // the job itself went on
    });

    it("gives up on a stream whose every connection brings the same garbled event", async () => {
      const { job_id: id } = await submit("through a proxy that garbles");
      proxy.state.garbled = true;
      try {
        const events = viaProxy.events(id, { reconnectDelayMs: 20, reconnectForMs: 500 });
        await expect(collect(events)).rejects.toBeInstanceOf(EventStreamLostError);
      } finally {
        proxy.state.garbled = false;
      }
      await collect(client.events(id));
    });
  });

  it("batch-images: one image per prompt, item events along the way", async () => {
    const { job_id: id } = await unwrap(
      client.POST("/api/batch-images", {
        body: { prompts: ["one", "two"], seeds: [1, 2], width: 128, height: 96, steps: 2 },
      }),
    );
    const events = await collect(client.events(id));
    expect(events.filter((event) => event.event === "item")).toHaveLength(2);
    const job = await unwrap(client.GET("/api/jobs/{id}", { params: { path: { id } } }));
    expect(job.result?.seeds).toEqual([1, 2]);
    expect(job.batch_progress).toMatchObject({ total: 2, completed: 2 });
  });
});

/** What the proxy does to an event-stream request instead of passing it on. */
type Fault =
  /** Passes it on, then drops the connection after the second event. */
  | "cut"
  /** 503 with Retry-After: 1, as a restarting server or its proxy answers. */
  | "unavailable"
  /** 200, then nothing at all: a connection that died without a word. */
  | "silent";

/**
 * A reverse proxy serving the service under /fp. Event-stream requests take the next of
 * `faults` (while `down`, each gets a 502), and are recorded with their Last-Event-ID.
 */
async function startFlakyProxy(target: string) {
  const faults: Fault[] = [];
  const streams: { lastEventId: string | undefined; at: number }[] = [];
  const state = { down: false, garbled: false };

  const pass = async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    cut: boolean,
  ) => {
    const upstream = new AbortController();
    response.on("close", () => {
      upstream.abort();
    });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "last-event-id", "authorization"]) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await fetch(`${target}${path}`, {
      method: request.method ?? "GET",
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      signal: upstream.signal,
    });
    response.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") ?? "application/octet-stream",
    });
    if (!answer.body) return response.end();
    let events = 0;
    for await (const chunk of Readable.fromWeb(answer.body)) {
      await new Promise((resolve) => response.write(chunk, resolve)); // out before any cut
      events += String(chunk).split("\nevent: ").length - 1;
      if (cut && events >= 2) return response.destroy();
    }
    return response.end();
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? "").replace(/^\/fp(?=\/)/, "");
    if (path === request.url) return response.writeHead(404).end();
    const isStream = path.split("?")[0]?.endsWith("/events") === true;
    const fault = isStream ? (state.down ? "down" : faults.shift()) : undefined;
    if (isStream) {
      const lastEventId = request.headers["last-event-id"];
      streams.push({
        lastEventId: typeof lastEventId === "string" ? lastEventId : undefined,
        at: Date.now(),
      });
    }
    if (fault === "down") {
      return response.writeHead(502, { "content-type": "text/plain" }).end("Bad Gateway");
    }
    if (fault === "unavailable") {
      const envelope = { error: { code: "unavailable", message: "Restarting.", details: [] } };
      response.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
      return response.end(JSON.stringify(envelope));
    }
    if (isStream && state.garbled) {
      // An event cut short in the middle of its JSON, on every connection.
      response.writeHead(200, { "content-type": "text/event-stream" });
      return response.end('id: 1\nevent: status\ndata: {"status": "proc\n\n');
    }
    if (fault === "silent") {
      response.writeHead(200, { "content-type": "text/event-stream" }).flushHeaders();
      return;
    }
    pass(request, response, path, fault === "cut").catch(() => {
      response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fp`,
    faults,
    streams,
    state,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
