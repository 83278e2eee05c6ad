// Jobs' webhooks (docs/api.md §6) against a local receiver (node:http) that verifies
// every message with the Standard Webhooks algorithm: retries with back-off, a restart
// between attempts (nothing lost, nothing sent twice), a slow receiver (timed out and
// retried), a redirecting one (not followed), the delivery log, WEBHOOK_ALLOWED_HOSTS
// and the URL checks at submission, a graceful stop during a hanging delivery; and the
// start and completion of a job through the real engine on the tiny set.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../src/config.js";
import { makeTempDir } from "./helpers/engine.js";
import {
  assembleEngineFreeService,
  startTestService,
  waitForJob,
  type AssembledService,
} from "./helpers/service.js";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const verifier = new Webhook(SECRET);

interface Received {
  path: string;
  id: string;
  body: { type: string; timestamp: string; data: { id: string; status: string } };
}

/** How the receiver answers the n-th request (from 1) to a path. */
type Behaviour = (n: number, response: ServerResponse) => void;

/** A receiver that verifies each request's signature and answers as its path says. */
class Receiver {
  readonly received: Received[] = [];
  readonly behaviours = new Map<string, Behaviour>();
  readonly #server: Server;
  readonly #open = new Set<ServerResponse>();

  constructor() {
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((message) => message.path === path);
  }

  async close(): Promise<void> {
    for (const response of this.#open) response.destroy();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const payload = Buffer.concat(chunks).toString();
    // Throws unless the signature is that of the secret over id.timestamp.body.
    const body = verifier.verify(
      payload,
      request.headers as Record<string, string>,
    ) as Received["body"];
    const path = request.url ?? "/";
    const id = String(request.headers["webhook-id"]);
    this.received.push({ path, id, body });
    this.#open.add(response);
    response.on("close", () => this.#open.delete(response));
    (this.behaviours.get(path) ?? ok)(this.at(path).length, response);
  }
}

const ok: Behaviour = (_n, response) => response.writeHead(204).end();
const failing =
  (times: number): Behaviour =>
  (n, response) =>
    n <= times ? response.writeHead(500).end("not yet") : response.writeHead(200).end("ok");

const receiver = new Receiver();

beforeAll(() => receiver.listen());
afterAll(() => receiver.close());

const WEBHOOK_CONFIG: Partial<Config> = {
  webhookSecret: SECRET,
  webhookRetryBaseMs: 150,
  webhookTimeoutMs: 400,
};

async function until<T>(what: () => Promise<T> | T, ok: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface DeliveryLog {
  job_id: string;
  deliveries: {
    id: string;
    type: string;
    status: string;
    url: string;
    attempts: { attempt: number; status_code: number | null; error: string | null }[];
  }[];
}

async function deliveryLog(service: AssembledService, jobId: string): Promise<DeliveryLog> {
  const response = await service.app.inject({ url: `/api/jobs/${jobId}/webhooks` });
  expect(response.statusCode).toBe(200);
  return response.json<DeliveryLog>();
}

async function submit(service: AssembledService, body: Record<string, unknown>) {
  return service.app.inject({ method: "POST", url: "/api/generate-image", payload: body });
}

/** A pending job with a webhook for its cancellation, then cancelled: one message. */
async function cancelledJob(service: AssembledService, path: string): Promise<string> {
  const created = await submit(service, {
    prompt: "a webhook",
    webhook: receiver.url(path),
    webhook_events: ["cancelled"],
  });
  expect(created.statusCode).toBe(202);
  const { job_id: jobId } = created.json<{ job_id: string }>();
  const cancel = await service.app.inject({ method: "POST", url: `/api/jobs/${jobId}/cancel` });
  expect(cancel.statusCode).toBe(200);
  return jobId;
}

describe("webhook submissions", () => {
  let service: AssembledService;
  beforeAll(async () => {
    service = await assembleEngineFreeService({
      config: { ...WEBHOOK_CONFIG, webhookAllowedHosts: ["127.0.0.1", "hooks.example.com"] },
    });
  });
  afterAll(() => service.close());

  it.each([
    ["ftp://127.0.0.1/hook", "http or https"],
    ["not a url", "absolute"],
    ["http://user:secret@127.0.0.1/hook", "credentials"],
  ])("refuses the webhook %s (422 naming the field)", async (webhook, says) => {
    const answer = await submit(service, { prompt: "x", webhook });
    expect(answer.statusCode).toBe(422);
    const { error } = answer.json<{
      error: { code: string; details: { field: string; message: string }[] };
    }>();
    expect(error.code).toBe("validation_failed");
    expect(error.details[0]?.field).toBe("webhook");
    expect(error.details[0]?.message).toContain(says);
  });

  it("refuses a host WEBHOOK_ALLOWED_HOSTS does not list (422 webhook_not_allowed)", async () => {
    const answer = await submit(service, { prompt: "x", webhook: "https://10.0.0.7/internal" });
    expect(answer.statusCode).toBe(422);
    const { error } = answer.json<{ error: { code: string; details: { field: string }[] } }>();
    expect(error.code).toBe("webhook_not_allowed");
    expect(error.details[0]?.field).toBe("webhook");
    const listed = await submit(service, {
      prompt: "x",
      webhook: "https://HOOKS.example.com/a?t=1",
    });
    expect(listed.statusCode).toBe(202);
  });

  it("refuses unknown events", async () => {
    const answer = await submit(service, {
      prompt: "x",
      webhook: receiver.url("/events"),
      webhook_events: ["finished"],
    });
    expect(answer.statusCode).toBe(422);
  });

  it("refuses webhooks while WEBHOOK_SECRET is unset", async () => {
    const plain = await assembleEngineFreeService();
    try {
      const answer = await submit(plain, { prompt: "x", webhook: receiver.url("/off") });
      expect(answer.statusCode).toBe(422);
      expect(answer.json<{ error: { code: string } }>().error.code).toBe("webhook_not_allowed");
    } finally {
      await plain.close();
    }
  });
});

describe("webhook delivery", () => {
  it("retries a receiver that fails twice: three signed attempts of one message", async () => {
    const service = await assembleEngineFreeService({ config: WEBHOOK_CONFIG });
    try {
      receiver.behaviours.set("/flaky", failing(2));
      const jobId = await cancelledJob(service, "/flaky");
      const log = await until(
        () => deliveryLog(service, jobId),
        (value) => value.deliveries[0]?.status === "delivered",
      );
      const messages = receiver.at("/flaky");
      expect(messages).toHaveLength(3);
      expect(new Set(messages.map((message) => message.id)).size).toBe(1);
      expect(messages[0]?.body.type).toBe("job.cancelled");
      expect(messages[0]?.body.data).toMatchObject({ id: jobId, status: "cancelled" });
      const [delivery] = log.deliveries;
      expect(delivery?.type).toBe("job.cancelled");
      expect(delivery?.id).toBe(messages[0]?.id);
      expect(delivery?.attempts.map((attempt) => attempt.status_code)).toEqual([500, 500, 200]);
      expect(delivery?.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
    } finally {
      await service.close();
    }
  });

  it("neither loses nor repeats a message across restarts", async () => {
    const dataDir = makeTempDir("webhooks-restart");
    const config = { ...WEBHOOK_CONFIG, webhookRetryBaseMs: 1500 };
    let service = await assembleEngineFreeService({ dataDir, config });
    receiver.behaviours.set("/restart", failing(1));
    const jobId = await cancelledJob(service, "/restart");
    await until(
      () => deliveryLog(service, jobId),
      (value) => value.deliveries[0]?.attempts.length === 1,
    );
    await service.close(); // before the retry is due
    expect(receiver.at("/restart")).toHaveLength(1);

    service = await assembleEngineFreeService({ dataDir, config });
    const log = await until(
      () => deliveryLog(service, jobId),
      (value) => value.deliveries[0]?.status === "delivered",
    );
    expect(log.deliveries).toHaveLength(1);
    expect(log.deliveries[0]?.attempts.map((attempt) => attempt.status_code)).toEqual([500, 200]);
    await service.close();

    // Delivered: a further restart sends nothing again.
    service = await assembleEngineFreeService({ dataDir, config });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await service.close();
    const messages = receiver.at("/restart");
    expect(messages).toHaveLength(2);
    expect(messages[1]?.id).toBe(messages[0]?.id);
  });

  it("times out a slow receiver and tries again", async () => {
    const service = await assembleEngineFreeService({ config: WEBHOOK_CONFIG });
    try {
      receiver.behaviours.set("/slow", (n, response) => {
        if (n === 1) setTimeout(() => response.writeHead(200).end(), 3000);
        else response.writeHead(200).end();
      });
      const jobId = await cancelledJob(service, "/slow");
      const log = await until(
        () => deliveryLog(service, jobId),
        (value) => value.deliveries[0]?.status === "delivered",
      );
      const attempts = log.deliveries[0]?.attempts ?? [];
      expect(attempts).toHaveLength(2);
      expect(attempts[0]).toMatchObject({ status_code: null });
      expect(attempts[0]?.error).toContain("no answer within");
      expect(attempts[1]).toMatchObject({ status_code: 200, error: null });
    } finally {
      await service.close();
    }
  });

  it("follows no redirect, and gives a message up once its time is over", async () => {
    const service = await assembleEngineFreeService({
      config: { ...WEBHOOK_CONFIG, webhookRetryForMs: 1000 },
    });
    try {
      receiver.behaviours.set("/moved", (_n, response) =>
        response.writeHead(307, { location: receiver.url("/elsewhere") }).end(),
      );
      const jobId = await cancelledJob(service, "/moved");
      const log = await until(
        () => deliveryLog(service, jobId),
        (value) => value.deliveries[0]?.status === "failed",
      );
      const attempts = log.deliveries[0]?.attempts ?? [];
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts.every((attempt) => attempt.status_code === 307)).toBe(true);
      expect(attempts[0]?.error).toContain("redirect");
      expect(receiver.at("/elsewhere")).toHaveLength(0);
    } finally {
      await service.close();
    }
  });

  it("stops gracefully while a receiver hangs, and delivers after the restart", async () => {
    const dataDir = makeTempDir("webhooks-stop");
    const config = { ...WEBHOOK_CONFIG, webhookTimeoutMs: 60_000 };
    let service = await assembleEngineFreeService({ dataDir, config });
    receiver.behaviours.set("/hang", (n, response) => {
      if (n > 1) response.writeHead(200).end(); // the first never answers
    });
    const jobId = await cancelledJob(service, "/hang");
    await until(
      () => receiver.at("/hang").length,
      (count) => count === 1,
    );
    const stopping = Date.now();
    await service.close();
    expect(Date.now() - stopping).toBeLessThan(3000);

    service = await assembleEngineFreeService({ dataDir, config });
    try {
      const log = await until(
        () => deliveryLog(service, jobId),
        (value) => value.deliveries[0]?.status === "delivered",
      );
      // The abandoned attempt was never recorded: one attempt, the one that got through.
      expect(log.deliveries[0]?.attempts.map((attempt) => attempt.status_code)).toEqual([200]);
      expect(receiver.at("/hang")).toHaveLength(2);
    } finally {
      await service.close();
    }
  });

  it("shows another API key's job's log as not found", async () => {
    const keys = ["key-a-0123456789abcdef0123456789", "key-b-0123456789abcdef0123456789"];
    const service = await assembleEngineFreeService({ apiKeys: keys, config: WEBHOOK_CONFIG });
    try {
      const created = await service.app.inject({
        method: "POST",
        url: "/api/generate-image",
        headers: { authorization: `Bearer ${keys[0] ?? ""}` },
        payload: { prompt: "mine", webhook: receiver.url("/tenant") },
      });
      const { job_id: jobId } = created.json<{ job_id: string }>();
      const other = await service.app.inject({
        url: `/api/jobs/${jobId}/webhooks`,
        headers: { authorization: `Bearer ${keys[1] ?? ""}` },
      });
      expect(other.statusCode).toBe(404);
    } finally {
      await service.close();
    }
  });
});

describe("webhooks of a job run by the real engine", () => {
  it("announces its start and its completion", async () => {
    const service = await startTestService({ config: WEBHOOK_CONFIG });
    try {
      const created = await fetch(`${service.url}/api/generate-image`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          prompt: "a small test",
          width: 64,
          height: 64,
          steps: 2,
          webhook: receiver.url("/engine"),
          webhook_events: ["start", "completed"],
        }),
      });
      const { job_id: jobId } = (await created.json()) as { job_id: string };
      await waitForJob(service.url, jobId);
      const messages = await until(
        () => receiver.at("/engine"),
        (received) => received.length === 2,
        60_000,
      );
      expect(messages.map((message) => message.body.type).sort()).toEqual([
        "job.completed",
        "job.start",
      ]);
      const completed = messages.find((message) => message.body.type === "job.completed");
      expect(completed?.body.data).toMatchObject({ id: jobId, status: "completed" });
      expect(
        (completed?.body.data as unknown as { result: { images: unknown[] } }).result.images,
      ).toHaveLength(1);
    } finally {
      await service.close();
    }
  }, 120_000);
});
