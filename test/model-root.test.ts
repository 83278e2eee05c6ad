// Which model set the service picks at start: weights `models download` fetched (from the
// stand-in hub on loopback, serving the tiny set) into the data directory once complete,
// the tiny demo set while they are not, and never an incomplete FRAMEPACK_MODEL_ROOT.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { enginePython, loadConfig } from "../src/config.js";
import {
  defaultModelRoot,
  prepareModelRoot,
  verifyModelRoot,
  type ModelSetOptions,
} from "../src/engine/model-set.js";
import { makeTempDir, startTestEngine, testLogger, writeTestImage } from "./helpers/engine.js";

const config = loadConfig({});
const python = enginePython(config);
const VAE_CONFIG = "hunyuanvideo-community/HunyuanVideo/vae/config.json";

/** The engine commands' Hugging Face settings: a private home and cache, online. */
function isolateHuggingFace(home: string): void {
  process.env.HF_HOME = home;
  process.env.HF_HUB_CACHE = join(home, "hub");
  process.env.HF_HUB_OFFLINE = "0";
  process.env.HF_HUB_DISABLE_TELEMETRY = "1";
}

/** Starts the stand-in hub on the tiny set; resolves with it and its URL. */
async function startStandinHub(root: string): Promise<{ hub: ChildProcess; url: string }> {
  const hub = spawn(python, ["tests/standin_hub.py", "--root", root, "--port", "0"], {
    cwd: config.engineDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: hub.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    hub.once("exit", (code) => {
      reject(new Error(`the stand-in hub exited with ${String(code)}`));
    });
  });
  return { hub, url };
}

async function download(modelRoot: string, hubUrl: string): Promise<void> {
  await promisify(execFile)(
    python,
    ["-m", "framepack_engine", "models", "download", "--model-root", modelRoot],
    { cwd: config.engineDir, env: { ...process.env, HF_ENDPOINT: hubUrl } },
  );
}

function options(dataDir: string, modelRoot: string | null = null): ModelSetOptions {
  return { modelRoot, dataDir, python, engineDir: config.engineDir, logger: testLogger };
}

describe("the model root the service picks", () => {
  let hub: ChildProcess;
  let hubUrl: string;
  const dataDir = makeTempDir("model-root");
  const downloaded = defaultModelRoot(dataDir);

  beforeAll(async () => {
    isolateHuggingFace(join(dataDir, "hf-home"));
    ({ hub, url: hubUrl } = await startStandinHub(inject("tinyModelRoot")));
    await download(downloaded, hubUrl);
  });

  afterAll(() => {
    hub.kill("SIGTERM");
  });

  it("serves the downloaded set once it is complete, and an engine loads it", async () => {
    expect(downloaded).toBe(join(dataDir, "models"));
    const report = await verifyModelRoot(python, config.engineDir, downloaded);
    expect(report).toMatchObject({ complete: true, tiny: false, missing: [] });
    expect(report.components.every((component) => component.source === "root")).toBe(true);

    const root = await prepareModelRoot(options(dataDir));
    expect(root).toBe(downloaded);

    const engine = await startTestEngine({ modelRoot: root });
    try {
      expect(engine.hello.model_set.tiny).toBe(false);
      const image = await writeTestImage(dataDir, 64, 64);
      const result = await engine.run("probe-downloaded", {
        kind: "probe",
        prompt: "a cat",
        image_path: image,
        width: 64,
        height: 64,
      });
      expect(result.metadata.shapes).toMatchObject({ image_latent: [1, 16, 1, 8, 8] });
    } finally {
      await engine.shutdown();
    }
  });

  it("serves the tiny demo set while a file of the download is missing", async () => {
    const partialDataDir = makeTempDir("model-root-partial");
    cpSync(downloaded, defaultModelRoot(partialDataDir), { recursive: true });
    rmSync(join(defaultModelRoot(partialDataDir), VAE_CONFIG));

    const root = await prepareModelRoot(options(partialDataDir));
    expect(root).toBe(join(partialDataDir, "models-tiny"));
    expect((await verifyModelRoot(python, config.engineDir, root)).tiny).toBe(true);
  });

  it("refuses an incomplete FRAMEPACK_MODEL_ROOT and names what is missing", async () => {
    const explicit = join(makeTempDir("model-root-explicit"), "models");
    cpSync(downloaded, explicit, { recursive: true });
    rmSync(join(explicit, VAE_CONFIG));

    await expect(prepareModelRoot(options(makeTempDir("unused"), explicit))).rejects.toThrow(
      `FRAMEPACK_MODEL_ROOT=${explicit} is incomplete; missing: ${VAE_CONFIG}`,
    );
  });
});
