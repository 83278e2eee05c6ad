// Cluster mode's shared artifacts (docs/cluster.md "Storage") against a real S3 stand-in
// (moto's server on 127.0.0.1, scripts/moto-server.mjs): the S3 ObjectStorage itself,
// the agent's side (inputs fetched and the plan moved to them, outputs uploaded by
// attempt), and a replica's side through the real Fastify app (inputs uploaded at
// submission, outputs streamed or redirected to a presigned URL, a deleted or expired
// job's objects gone).
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMoto, type MotoServer } from "../scripts/moto-server.mjs";
import { LocalArtifactStore } from "../src/artifacts/local.js";
import type { StoredObject } from "../src/artifacts/object-storage.js";
import { s3Client, S3ObjectStorage } from "../src/artifacts/s3.js";
import { SharedArtifacts } from "../src/artifacts/shared.js";
import type { TransferPlan } from "../src/engine/protocol.js";
import type { JobRecord } from "../src/store/types.js";
import { makeTempDir } from "./helpers/engine.js";
import { motoClient } from "./helpers/moto.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const BUCKET = "framepack-test";

let moto: MotoServer;
let client: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  client = await motoClient(moto, BUCKET);
});

afterAll(async () => {
  client.destroy();
  await moto.stop();
});

const storage = (prefix: string) => new S3ObjectStorage({ bucket: BUCKET, prefix }, client);

/** The text of an object being read; an object that is not there fails the test. */
async function text(object: StoredObject | undefined): Promise<string> {
  if (!object) throw new Error("no such object");
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

async function png(r: number): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: { r, g: 9, b: 99 } } })
    .png()
    .toBuffer();
}

describe("S3ObjectStorage", () => {
  it("puts, reads, lists, copies, downloads and deletes by prefix", async () => {
    const objects = storage("unit");
    await objects.putBuffer("jobs/a/inputs/x.png", Buffer.from("picture"), "image/png");
    const file = join(makeTempDir("s3"), "out.mp4");
    await writeFile(file, "moving picture");
    await objects.putFile("jobs/a/attempt-1/out.mp4", file, "video/mp4");
    await objects.putBuffer("jobs/b/inputs/y.png", Buffer.from("other"));

    const read = await objects.get("jobs/a/attempt-1/out.mp4");
    expect(read?.size).toBe("moving picture".length);
    expect(read?.contentType).toBe("video/mp4");
    expect(await text(read)).toBe("moving picture");
    expect(await objects.size("jobs/a/inputs/x.png")).toBe(7);
    expect((await objects.list("jobs/a/")).map((entry) => entry.key).sort()).toEqual([
      "jobs/a/attempt-1/out.mp4",
      "jobs/a/inputs/x.png",
    ]);

    expect(await objects.copy("jobs/a/inputs/x.png", "jobs/c/inputs/x.png")).toBe(true);
    const copy = join(makeTempDir("s3"), "deep", "x.png");
    expect(await objects.download("jobs/c/inputs/x.png", copy)).toBe(true);
    expect(readFileSync(copy, "utf8")).toBe("picture");

    expect(await objects.deletePrefix("jobs/a/")).toBe(2);
    expect(await objects.list("jobs/a/")).toEqual([]);
    expect((await objects.list("jobs/")).map((entry) => entry.key).sort()).toEqual([
      "jobs/b/inputs/y.png",
      "jobs/c/inputs/x.png",
    ]);
  });

  it("answers undefined or false for what is not there, and refuses keys that are no key of ours", async () => {
    const objects = storage("unit-missing");
    expect(await objects.get("jobs/none/inputs/x.png")).toBeUndefined();
    expect(await objects.size("jobs/none/inputs/x.png")).toBeUndefined();
    expect(await objects.copy("jobs/none/x.png", "jobs/other/x.png")).toBe(false);
    const target = join(makeTempDir("s3"), "x.png");
    expect(await objects.download("jobs/none/x.png", target)).toBe(false);
    expect(existsSync(target)).toBe(false);
    expect(await objects.deletePrefix("jobs/none/")).toBe(0);
    for (const key of ["../escape", "jobs/../x", "/absolute", "jobs/a b", ".hidden"]) {
      await expect(objects.putBuffer(key, Buffer.from("x")), key).rejects.toThrow(/unsafe/);
    }
  });

  it("keeps deployments with different prefixes of one bucket apart", async () => {
    await storage("one").putBuffer("jobs/j/inputs/a.png", Buffer.from("1"));
    await storage("two").putBuffer("jobs/j/inputs/a.png", Buffer.from("2"));
    expect(await text(await storage("one").get("jobs/j/inputs/a.png"))).toBe("1");
    await storage("two").deletePrefix("jobs/");
    expect(await storage("one").size("jobs/j/inputs/a.png")).toBe(1);
    expect(await storage("two").list("jobs/")).toEqual([]);
  });

  it("presigns a GET that reads the bytes without credentials", async () => {
    const objects = storage("unit-presign");
    await objects.putBuffer("jobs/p/attempt-1/a.png", Buffer.from("signed bytes"), "image/png");
    const url = await objects.presignGet("jobs/p/attempt-1/a.png", 60);
    const answer = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe("signed bytes");
    // Path-style, signed for that key and that long (moto itself checks no signature).
    const signed = new URL(url);
    expect(signed.pathname).toBe(`/${BUCKET}/unit-presign/jobs/p/attempt-1/a.png`);
    expect(signed.searchParams.get("X-Amz-Expires")).toBe("60");
    expect(signed.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url).not.toContain("secretAccessKey");
  });
});

describe("s3Client", () => {
  it("addresses a configured endpoint path-style, with a region it can sign for", async () => {
    const local = s3Client({ endpoint: moto.endpoint, region: null });
    expect(local.config.forcePathStyle).toBe(true);
    expect(await local.config.region()).toBe("us-east-1");
    const aws = s3Client({ endpoint: null, region: "eu-west-1" });
    expect(aws.config.forcePathStyle).toBeFalsy();
    expect(await aws.config.region()).toBe("eu-west-1");
    local.destroy();
    aws.destroy();
  });
});

describe("SharedArtifacts on an agent", () => {
  it("uploads the finished outputs of each attempt under their own keys, then drops the work folder", async () => {
    const objects = storage("agent");
    const agent = new SharedArtifacts(new LocalArtifactStore(makeTempDir("agent")), objects);
    const jobId = "0b5a6c1e-0000-4000-8000-000000000001";
    const dir = await agent.outputDir(jobId);
    await writeFile(join(dir, "image-0.png"), "first run");
    await writeFile(join(dir, ".image-1.png.x1.tmp"), "half");

    await expect(agent.uploadOutputs(jobId, 1, [join(dir, ".image-1.png.x1.tmp")])).rejects.toThrow(
      /not a finished output/,
    );
    await expect(agent.uploadOutputs(jobId, 1, ["/etc/passwd"])).rejects.toThrow(
      /not a finished output/,
    );
    expect(await agent.uploadOutputs(jobId, 1, [join(dir, "image-0.png")])).toEqual([
      `${jobId}/attempt-1/image-0.png`,
    ]);
    await writeFile(join(dir, "image-0.png"), "second run");
    expect(await agent.uploadOutputs(jobId, 2, [join(dir, "image-0.png")])).toEqual([
      `${jobId}/attempt-2/image-0.png`,
    ]);

    expect(await text(await agent.openOutput(`${jobId}/attempt-1/image-0.png`))).toBe("first run");
    expect(await text(await agent.openOutput(`${jobId}/attempt-2/image-0.png`))).toBe("second run");
    expect((await objects.list(`jobs/${jobId}/`)).map((entry) => entry.key).sort()).toEqual([
      `jobs/${jobId}/attempt-1/image-0.png`,
      `jobs/${jobId}/attempt-2/image-0.png`,
    ]);
    // Keys that are no output key of a job are never looked up.
    for (const key of [`${jobId}/inputs/x.png`, `${jobId}/attempt-0/image-0.png`, "a/b"]) {
      expect(await agent.openOutput(key), key).toBeUndefined();
    }

    await agent.removeLocal(jobId);
    expect(existsSync(dir)).toBe(false);
    // Retention still finds the job by its objects.
    expect((await agent.jobFolders()).map((folder) => folder.jobId)).toContain(jobId);
  });
});

describe("a replica's API on the shared storage", () => {
  let replica: AssembledService;
  let presigning: AssembledService;
  let objects: S3ObjectStorage;

  beforeAll(async () => {
    objects = storage("service");
    const storageConfig = { storage: { bucket: BUCKET, prefix: "service" } };
    replica = await assembleEngineFreeService({
      config: storageConfig,
      objects,
      maxCompletedJobs: 0,
    });
    presigning = await assembleEngineFreeService({
      config: { ...storageConfig, outputPresignS: 60 },
      objects,
    });
  });

  afterAll(async () => {
    await replica.close();
    await presigning.close();
  });

  async function submitTransfer(): Promise<string> {
    const response = await replica.app.inject({
      method: "POST",
      url: "/api/transfer-image",
      payload: {
        prompt: "wearing the coat",
        target_image: (await png(10)).toString("base64"),
        source_image: (await png(250)).toString("base64"),
      },
    });
    expect(response.statusCode, response.body).toBe(202);
    return response.json<{ job_id: string }>().job_id;
  }

  async function recordOf(id: string): Promise<JobRecord> {
    const job = await replica.store.get(id);
    if (!job) throw new Error(`no job ${id}`);
    return job;
  }

  /** An agent of its own: another host's work folder on the same storage. */
  function agent(): { artifacts: SharedArtifacts; dir: string } {
    const dir = makeTempDir("agent-host");
    return { artifacts: new SharedArtifacts(new LocalArtifactStore(dir), objects), dir };
  }

  function inputsOf(plan: TransferPlan): Buffer[] {
    return [plan.target_image_path, plan.source_image_path].map((path) => readFileSync(path));
  }

  it("uploads a submission's inputs; an agent fetches them and its plan names its own copies", async () => {
    const id = await submitTransfer();
    expect((await objects.list(`jobs/${id}/inputs/`)).length).toBe(2);
    const job = await recordOf(id);
    const { artifacts, dir } = agent();
    const plan = (await artifacts.fetchInputs(job)) as TransferPlan;
    expect(plan.target_image_path.startsWith(dir)).toBe(true);
    expect(plan.source_image_path.startsWith(dir)).toBe(true);
    expect(JSON.stringify(plan)).not.toContain(replica.dataDir);
    expect(inputsOf(plan)).toEqual(inputsOf(job.plan as TransferPlan));
    expect({ ...plan, target_image_path: "", source_image_path: "" }).toEqual({
      ...job.plan,
      target_image_path: "",
      source_image_path: "",
    });
  });

  it("streams an output from the storage; a missing one or a malformed run is refused", async () => {
    const id = await submitTransfer();
    const { artifacts } = agent();
    const file = join(await artifacts.outputDir(id), "transfer-0.png");
    const bytes = await png(77);
    await writeFile(file, bytes);
    const [key] = await artifacts.uploadOutputs(id, 1, [file]);

    const served = await replica.app.inject({ method: "GET", url: `/api/outputs/${key}` });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/png");
    expect(served.headers["content-length"]).toBe(String(bytes.length));
    expect(served.rawPayload.equals(bytes)).toBe(true);

    const missing = await replica.app.inject({
      method: "GET",
      url: `/api/outputs/${id}/attempt-2/transfer-0.png`,
    });
    expect(missing.statusCode).toBe(404);
    for (const run of ["attempt-0", "inputs", "checkpoint", "attempt-1x", "..%2Finputs"]) {
      const refused = await replica.app.inject({
        method: "GET",
        url: `/api/outputs/${id}/${run}/transfer-0.png`,
      });
      expect(refused.statusCode, run).toBe(422);
    }
  });

  it("redirects to a presigned URL when set to, which serves the bytes", async () => {
    const id = await submitTransfer();
    const { artifacts } = agent();
    const file = join(await artifacts.outputDir(id), "transfer-0.png");
    await writeFile(file, "presigned output");
    const [key] = await artifacts.uploadOutputs(id, 3, [file]);

    const answer = await presigning.app.inject({ method: "GET", url: `/api/outputs/${key}` });
    expect(answer.statusCode).toBe(302);
    expect(answer.headers["cache-control"]).toBe("private, no-store");
    const location = String(answer.headers.location);
    expect(location.startsWith(moto.endpoint)).toBe(true);
    const fetched = await fetch(location, { signal: AbortSignal.timeout(10_000) });
    expect(await fetched.text()).toBe("presigned output");
    const missing = await presigning.app.inject({
      method: "GET",
      url: `/api/outputs/${id}/attempt-4/transfer-0.png`,
    });
    expect(missing.statusCode).toBe(404);
  });

  it("a retry's inputs are copied in the storage and resolved by the agent; delete and retention remove a job's objects", async () => {
    const id = await submitTransfer();
    const cancel = await replica.app.inject({ method: "POST", url: `/api/jobs/${id}/cancel` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const retry = await replica.app.inject({ method: "POST", url: `/api/jobs/${id}/retry` });
    expect(retry.statusCode, retry.body).toBe(202);
    const retryId = retry.json<{ job_id: string }>().job_id;
    expect((await objects.list(`jobs/${retryId}/inputs/`)).length).toBe(2);

    // The replica's own copies are gone: the agent's come from the storage alone.
    await rmLocalJobs(replica.dataDir);
    const retried = await recordOf(retryId);
    const { artifacts, dir } = agent();
    const plan = (await artifacts.fetchInputs(retried)) as TransferPlan;
    expect(plan.target_image_path).toBe(join(dir, retryId, "inputs", "target.png"));
    expect(existsSync(plan.source_image_path)).toBe(true);
    // A plan that still names the first job's files on another replica (a retry taken
    // there) is moved by file name all the same.
    const foreign = {
      ...retried.plan,
      target_image_path: `/srv/replica-b/jobs/${id}/inputs/target.png`,
      prompt: "/not/a/job/inputs/of ours.png",
    } as TransferPlan;
    const moved = (await artifacts.fetchInputs({ id: retryId, plan: foreign })) as TransferPlan;
    expect(moved.target_image_path).toBe(join(dir, retryId, "inputs", "target.png"));
    expect(moved.prompt).toBe(foreign.prompt);

    const cancelRetry = await replica.app.inject({
      method: "POST",
      url: `/api/jobs/${retryId}/cancel`,
    });
    expect(cancelRetry.statusCode).toBe(200);
    const deleted = await replica.app.inject({ method: "DELETE", url: `/api/jobs/${retryId}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await objects.list(`jobs/${retryId}/`)).toEqual([]);

    const report = await replica.retention.cleanup();
    expect(report.removed).toContain(id);
    expect(await objects.list(`jobs/${id}/`)).toEqual([]);
  });
});

/** Empties a data folder's job files, as on a replica that never stored them. */
async function rmLocalJobs(dataDir: string): Promise<void> {
  const jobs = join(dataDir, "jobs");
  await mkdir(jobs, { recursive: true });
  for (const name of await readdir(jobs)) await rm(join(jobs, name), { recursive: true });
}
