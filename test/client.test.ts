// The client SDK: generated from the current OpenAPI document, and working against the
// service (typed calls, the API key, error envelopes, downloads, the event stream and its
// resume).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFramePackClient,
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
