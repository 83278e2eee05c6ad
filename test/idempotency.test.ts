// Idempotency-Key on the generation endpoints (docs/api.md §6): the same key with the
// same body answers with the same job, also under 20 concurrent submissions and after a
// restart; a different body (or route) under the key is refused; keys are per API key
// and expire after 24 h. A service without engines: the jobs stay pending.
import Database from "better-sqlite3";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFramePackClient, idempotencyKey, unwrap } from "../src/client/index.js";
import { makeTempDir } from "./helpers/engine.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const KEY_A = "tenant-a-0123456789abcdef0123456789abcdef";
const KEY_B = "tenant-b-0123456789abcdef0123456789abcdef";

let dataDir: string;
let service: AssembledService;
let base: string;
let image: string;

async function open(): Promise<void> {
  service = await assembleEngineFreeService({ apiKeys: [KEY_A, KEY_B], dataDir });
  base = await service.app.listen({ host: "127.0.0.1", port: 0 });
}

beforeAll(async () => {
  dataDir = makeTempDir("idempotency");
  image = (
    await sharp({ create: { width: 64, height: 48, channels: 3, background: "teal" } })
      .png()
      .toBuffer()
  ).toString("base64");
  await open();
});

afterAll(async () => {
  await service.close();
});

interface Answer {
  job_id?: string;
  links?: unknown;
  error?: { code: string; details: unknown };
}

async function submit(
  key: string | undefined,
  body: Record<string, unknown>,
  { apiKey = KEY_A, route = "generate-image" } = {},
) {
  const response = await fetch(`${base}/api/${route}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${apiKey}`,
      ...(key === undefined ? {} : { "idempotency-key": key }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function jobCount(apiKey = KEY_A): Promise<number> {
  const response = await fetch(`${base}/api/jobs?limit=200`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return ((await response.json()) as { jobs: unknown[] }).jobs.length;
}

describe("Idempotency-Key", () => {
  it("answers a repeated submission with the first one's job (200, its record and links)", async () => {
    const before = await jobCount();
    const body = { prompt: "a lighthouse", seed: 7 };
    const first = await submit("repeat-1", body);
    expect(first.status).toBe(202);
    // Key order and defaults spelled out do not make it another request.
    const again = await submit("repeat-1", { seed: 7, prompt: "a lighthouse", steps: 30 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.job_id });
    expect(again.body.job_id).toBe(first.body.job_id);
    expect(again.body.links).toEqual(first.body.links);
    expect(await jobCount()).toBe(before + 1);
    // Without the key, the same body is a new job.
    const plain = await submit(undefined, body);
    expect(plain.body.job_id).not.toBe(first.body.job_id);
  });

  it("refuses the key with a different body or route (422 idempotency_key_reused)", async () => {
    const first = await submit("changed-1", { prompt: "a harbour", input_image: image });
    expect(first.status).toBe(202);
    const changed = await submit("changed-1", { prompt: "a harbour at night", input_image: image });
    expect(changed.status).toBe(422);
    expect(changed.body.error?.code).toBe("idempotency_key_reused");
    const otherImage = await sharp(Buffer.from(image, "base64")).negate().png().toBuffer();
    const otherPicture = await submit("changed-1", {
      prompt: "a harbour",
      input_image: otherImage.toString("base64"),
    });
    expect(otherPicture.body.error?.code).toBe("idempotency_key_reused");
    const otherRoute = await submit(
      "changed-1",
      { prompts: ["a harbour"] },
      { route: "batch-images" },
    );
    expect(otherRoute.body.error?.code).toBe("idempotency_key_reused");
  });

  it("keeps keys per API key: another key's same Idempotency-Key is its own", async () => {
    const a = await submit("shared-name", { prompt: "a fox" });
    const b = await submit("shared-name", { prompt: "a fox" }, { apiKey: KEY_B });
    const bChanged = await submit("shared-name", { prompt: "a wolf" }, { apiKey: KEY_B });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.body.job_id).not.toBe(a.body.job_id);
    expect(bChanged.body.error?.code).toBe("idempotency_key_reused");
  });

  it("makes exactly one job of 20 concurrent identical submissions", async () => {
    const before = await jobCount();
    const jobsDir = join(dataDir, "jobs");
    const folders = () => (existsSync(jobsDir) ? readdirSync(jobsDir).length : 0);
    const foldersBefore = folders();
    const body = { prompt: "twenty at once", input_image: image, seed: 3 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => submit("concurrent-1", body)),
    );
    // One made the job (202); the others answer with it (200).
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array<number>(19).fill(200), 202]);
    expect(new Set(answers.map((answer) => answer.body.job_id)).size).toBe(1);
    expect(await jobCount()).toBe(before + 1);
    // The submissions that lost the race removed the input they had stored.
    expect(folders()).toBe(foldersBefore + 1);
  });

  it("is an option of the SDK's generation calls", async () => {
    const client = createFramePackClient({ baseUrl: base, apiKey: KEY_A });
    const body = { prompt: "through the SDK" };
    const first = await unwrap(
      client.POST("/api/generate-image", { body, ...idempotencyKey("sdk-1") }),
    );
    const again = await unwrap(
      client.POST("/api/generate-image", { body, ...idempotencyKey("sdk-1") }),
    );
    expect(again.job_id).toBe(first.job_id);
    const refused = await client.POST("/api/generate-image", {
      body: { prompt: "another request" },
      ...idempotencyKey("sdk-1"),
    });
    expect(refused.response.status).toBe(422);
  });

  it("leaves the legacy routes alone: the header makes no difference there", async () => {
    const post = async () => {
      const form = new FormData();
      form.append(
        "image",
        new Blob([Buffer.from(image, "base64")], { type: "image/png" }),
        "in.png",
      );
      form.append("prompt", "a legacy submission");
      const response = await fetch(`${base}/generate`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY_A}`, "idempotency-key": "legacy-1" },
        body: form,
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { job_id: string }).job_id;
    };
    const first = await post();
    expect(first).toMatch(/^[0-9a-f]{8}$/);
    expect(await post()).not.toBe(first);
  });

  it("refuses a malformed key, naming the header", async () => {
    const answer = await submit("x".repeat(256), { prompt: "too long a key" });
    expect(answer.status).toBe(422);
    expect(answer.body.error?.code).toBe("validation_failed");
    expect(JSON.stringify(answer.body.error?.details)).toContain("idempotency-key");
  });

  it("holds across a restart, and frees a key once it expired (24 h)", async () => {
    const body = { prompt: "before the restart", image, video_length: 1 };
    const first = await submit("restart-1", body, { route: "generate-video" });
    expect(first.status).toBe(202);
    await service.close();
    await open();
    const again = await submit("restart-1", body, { route: "generate-video" });
    expect(again.status).toBe(200);
    expect(again.body.job_id).toBe(first.body.job_id);
    expect(
      (await submit("restart-1", { ...body, prompt: "changed" }, { route: "generate-video" }))
        .status,
    ).toBe(422);

    // A day later (the claim's expiry moved into the past), the key makes a new job.
    await service.close();
    const db = new Database(join(dataDir, "jobs.sqlite"));
    db.prepare("UPDATE idempotency_keys SET expires_at = ?").run(Date.now() - 1);
    db.close();
    await open();
    const later = await submit(
      "restart-1",
      { ...body, prompt: "changed" },
      {
        route: "generate-video",
      },
    );
    expect(later.status).toBe(202);
    expect(later.body.job_id).not.toBe(first.body.job_id);
  });
});
