// The engine client against a real engine process on the tiny model set.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EngineExitedError,
  EngineJobError,
  EngineTimeoutError,
  JobCancelledError,
} from "../src/engine/errors.js";
import type { EngineProcess } from "../src/engine/process.js";
import type { EngineEvent, ItemResultEvent, ProgressEvent } from "../src/engine/protocol.js";
import { livePid, makeTempDir, startTestEngine, writeTestImage } from "./helpers/engine.js";
import { batchPlan, imagePlan, transferPlan, videoPlan } from "./helpers/plans.js";

function nextEvent(engine: EngineProcess, match: (event: EngineEvent) => boolean) {
  return new Promise<EngineEvent>((resolve) => {
    const unsubscribe = engine.onEvent((event) => {
      if (!match(event)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

describe("a running engine", () => {
  let engine: EngineProcess;
  let imagePath: string;

  beforeAll(async () => {
    engine = await startTestEngine();
    imagePath = await writeTestImage(makeTempDir("engine"), 300, 200);
  });

  afterAll(async () => {
    await engine.shutdown();
  });

  it("says hello with versions, device, capabilities and the tiny model set", () => {
    const { hello } = engine;
    expect(hello.protocol_version).toBe(1);
    expect(hello.device).toEqual({ kind: "cpu", name: "cpu", index: null });
    expect(hello.capabilities.plan_kinds).toContain("probe");
    expect(hello.model_set.tiny).toBe(true);
    expect(hello.versions.torch).toMatch(/^\d+\.\d+/);
    expect(hello.memory.host_rss_bytes).toBeGreaterThan(0);
  });

  it("answers status and sends heartbeats", async () => {
    const status = await engine.status();
    expect(status.state).toBe("idle");
    const heartbeat = await nextEvent(engine, (event) => event.type === "heartbeat");
    expect(heartbeat).toMatchObject({ type: "heartbeat", state: "idle", job_id: null });
  });

  it("runs a probe plan: encodes a prompt and an image with the shapes of docs/framepack.md §2-§4", async () => {
    const progress: ProgressEvent[] = [];
    const result = await engine.run(
      "probe-1",
      { kind: "probe", prompt: "a cat on a beach", image_path: imagePath, width: 256, height: 192 },
      { onProgress: (event) => progress.push(event) },
    );
    expect(result.metadata.shapes).toEqual({
      llama_embeds: [1, 512, 16],
      llama_mask: [1, 512],
      clip_pooled: [1, 8],
      siglip_embeds: [1, 729, 16],
      image_latent: [1, 16, 1, 192 / 8, 256 / 8],
    });
    expect(progress.map((event) => event.phase)).toEqual([
      "loading",
      "encoding",
      "encoding",
      "encoding",
    ]);
    const status = await engine.status();
    expect(status.loaded_models.map((model) => model.name).sort()).toEqual([
      "image_encoder",
      "text_encoder",
      "text_encoder_2",
      "transformer_base",
      "vae",
    ]);
  });

  it("fails a plan with a missing input as invalid_plan and stays up", async () => {
    const plan = {
      kind: "probe",
      prompt: "x",
      image_path: "/nonexistent.png",
      width: 64,
      height: 64,
    } as const;
    const failure = engine.run("probe-missing", plan);
    await expect(failure).rejects.toBeInstanceOf(EngineJobError);
    await expect(failure).rejects.toMatchObject({ code: "invalid_plan", retriable: false });
    expect((await engine.status()).state).toBe("idle");
  });

  it("answers a malformed line with an error event, never a crash", async () => {
    const notJson = nextEvent(engine, (event) => event.type === "error");
    engine.sendRaw("{this is not json");
    expect(await notJson).toMatchObject({ code: "malformed_message", job_id: null });

    const badWidth = nextEvent(engine, (event) => event.type === "error");
    engine.sendRaw(
      JSON.stringify({
        type: "run",
        job_id: "bad-1",
        plan: { kind: "probe", prompt: "x", image_path: imagePath, width: 650, height: 64 },
      }),
    );
    const error = await badWidth;
    expect(error).toMatchObject({ code: "malformed_message", job_id: "bad-1" });
    expect(error.type === "error" && error.message).toContain("plan.width");
    expect((await engine.status()).state).toBe("idle");
  });

  it("runs an image plan: progress with previews, then a PNG", async () => {
    const outputDir = makeTempDir("image");
    const progress: ProgressEvent[] = [];
    const result = await engine.run("image-1", imagePlan(outputDir), {
      onProgress: (event) => progress.push(event),
    });
    const sampling = progress.filter((event) => event.phase === "sampling");
    expect(sampling.map((event) => [event.step, event.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(sampling.every((event) => event.preview?.startsWith("data:image/jpeg;base64,"))).toBe(
      true,
    );
    expect(result.files).toHaveLength(1);
    const [file] = result.files;
    expect(file).toMatchObject({ kind: "image", width: 128, height: 96, seed: 42 });
    expect(existsSync(file?.path ?? "")).toBe(true);
  });

  it("reports each item of a batch as it finishes", async () => {
    const items: ItemResultEvent[] = [];
    const plan = batchPlan(makeTempDir("batch"), [
      { prompt: "one", seed: 1 },
      { prompt: "two", seed: 2 },
      { prompt: "three", seed: 3 },
    ]);
    const result = await engine.run("batch-1", plan, {
      onItemResult: (event) => items.push(event),
    });
    expect(items.map((event) => [event.index, event.status])).toEqual([
      [0, "completed"],
      [1, "completed"],
      [2, "completed"],
    ]);
    expect(result.files.map((file) => file.seed)).toEqual([1, 2, 3]);
  });

  it("runs a transfer plan and a video plan", async () => {
    const transfer = await engine.run(
      "transfer-1",
      transferPlan(makeTempDir("transfer"), imagePath, imagePath),
    );
    expect(transfer.files).toMatchObject([{ kind: "image", seed: 9 }]);
    const video = await engine.run("video-1", videoPlan(makeTempDir("video"), imagePath));
    expect(video.files[0]).toMatchObject({ kind: "video", frames: 37, fps: 30 });
    expect(video.files[1]).toMatchObject({ kind: "preview" });
    expect(existsSync(video.files[0]?.path ?? "")).toBe(true);
  });

  it("cancels a running plan within a step and stays free for the next", async () => {
    let steps = 0;
    const running = engine.run("long-1", imagePlan(makeTempDir("cancel"), { steps: 200 }), {
      onProgress: (event) => {
        if (event.phase !== "sampling") return;
        steps += 1;
        if (steps === 1) engine.cancel("long-1");
      },
    });
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
    expect(steps).toBeLessThanOrEqual(2);
    expect((await engine.status()).state).toBe("idle");
    await expect(engine.run("after-cancel", imagePlan(makeTempDir("next")))).resolves.toMatchObject(
      {
        type: "result",
      },
    );
  });

  it("refuses to send a request that breaks the schema", async () => {
    const plan = {
      kind: "probe",
      prompt: "",
      image_path: imagePath,
      width: 64,
      height: 64,
    } as const;
    await expect(engine.run("empty-prompt", plan)).rejects.toThrow(/plan.prompt/);
  });
});

describe("an engine given FRAMEPACK_GPU_MEMORY_GB and FRAMEPACK_TRANSFORMER_DTYPE", () => {
  it("plans within it, with fp8 transformers, and says so in its hello", async () => {
    const limited = await startTestEngine({ gpuMemoryGb: 7.5, transformerDtype: "fp8" });
    try {
      expect(limited.hello.model_set.gpu_memory_limit_gb).toBe(7.5);
      expect(limited.hello.model_set.transformer_dtype).toBe("fp8");
    } finally {
      await limited.shutdown();
    }
  });
});

describe("an engine that dies", () => {
  it("rejects pending requests with the exit signal and its last stderr lines", async () => {
    const engine = await startTestEngine();
    const pid = engine.pid;
    expect(pid).toBeDefined();
    const pending = engine.status(30_000);
    process.kill(livePid(pid), "SIGKILL");
    const error: unknown = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineExitedError);
    expect(error).toMatchObject({ signal: "SIGKILL" });
    expect((error as Error).message).toMatch(/killed by SIGKILL/);
    await expect(engine.status()).rejects.toBeInstanceOf(EngineExitedError);
  });

  it("that cannot start reports its exit code and why", async () => {
    const start = startTestEngine({ device: "cuda:7" });
    const error: unknown = await start.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineExitedError);
    expect(error).toMatchObject({ exitCode: 1 });
    expect((error as EngineExitedError).stderrTail.join("\n")).toContain("CUDA is not available");
  });

  it("that is too slow to say hello times out", async () => {
    await expect(startTestEngine({ startTimeoutMs: 10 })).rejects.toBeInstanceOf(
      EngineTimeoutError,
    );
  });
});
