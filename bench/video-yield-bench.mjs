// The wait of a high-priority image submitted while a long video runs, with yielding off
// and on (FRAMEPACK_PREEMPT=off|sections), in one run on one machine: the compiled service
// (dist/) with one real engine on the tiny model set, started once per setting. The image
// arrives once the video is into its first section; its wait is from its submission to its
// start, in seconds and in the video's sections sampled meanwhile. One JSON line per figure.
//
// Usage: npm run build && node bench/video-yield-bench.mjs [--sections 6]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import sharp from "sharp";
import { enginePython, loadConfig } from "../dist/src/config.js";
import { writeTinyModelSet } from "../dist/src/engine/model-set.js";

const ROOT = join(import.meta.dirname, "..");
const sectionsArg = process.argv.indexOf("--sections");
const SECTIONS = sectionsArg > 0 ? Number(process.argv[sectionsArg + 1]) : 6;
const LATENT_WINDOW = 3;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function startService(env) {
  const child = spawn("node", [join(ROOT, "dist", "src", "main.js")], {
    cwd: ROOT,
    env: { ...process.env, API_PORT: "0", FRAMEPACK_DEVICE: "cpu", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`service exited with ${String(code)}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (found) resolve(found);
    });
  });
  return { child, url };
}

async function post(url, path, body) {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`${path}: ${await response.text()}`);
  return (await response.json()).job_id;
}

const job = async (url, id) => (await fetch(`${url}/api/jobs/${id}`)).json();

async function until(url, id, done) {
  for (;;) {
    const record = await job(url, id);
    if (done(record)) return record;
    await sleep(50);
  }
}

async function measure(preempt, image, modelRoot) {
  const dataDir = mkdtempSync(join(tmpdir(), "video-yield-bench-"));
  const { child, url: listening } = startService({
    FRAMEPACK_DATA_DIR: dataDir,
    FRAMEPACK_MODEL_ROOT: modelRoot,
    FRAMEPACK_PREEMPT: preempt,
  });
  try {
    const url = await listening;
    const video = await post(url, "/api/generate-video", {
      prompt: "it drifts",
      image,
      // round(seconds * 30 / (4 * lws)) sections
      video_length: (SECTIONS * 4 * LATENT_WINDOW) / 30,
      latent_window_size: LATENT_WINDOW,
      steps: 4,
      width: 64,
      height: 64,
      use_teacache: false,
    });
    await until(url, video, (record) => /section 1 of/.test(record.info));
    const submitted = Date.now();
    const imageId = await post(url, "/api/generate-image", {
      prompt: "a lighthouse",
      width: 64,
      height: 64,
      steps: 1,
      priority: 10,
    });
    const started = await until(url, imageId, (record) => record.started_at !== null);
    const waitS = (Date.parse(started.started_at) - submitted) / 1000;
    const videoThen = await job(url, video);
    await until(url, imageId, (record) => record.status === "completed");
    const done = await until(url, video, (record) => record.status === "completed");
    const common = {
      preempt,
      sections: SECTIONS,
      load_avg_1m: Number(loadavg()[0].toFixed(2)),
      date: new Date().toISOString(),
    };
    return [
      { metric: "image_wait_s", value: waitS, unit: "s", ...common },
      {
        metric: "image_wait_sections",
        value: videoThen.sections?.done ?? (videoThen.status === "completed" ? SECTIONS : 0),
        unit: "sections",
        ...common,
        note: "video sections checkpointed when the image started",
      },
      {
        metric: "video_total_s",
        value: (Date.parse(done.completed_at) - Date.parse(done.created_at)) / 1000,
        unit: "s",
        ...common,
        resumed_at_section: done.result?.metadata?.resumed_at_section ?? null,
      },
    ];
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const pixels = Buffer.alloc(64 * 64 * 3, 90);
const image = (
  await sharp(pixels, { raw: { width: 64, height: 64, channels: 3 } })
    .png()
    .toBuffer()
).toString("base64");
const config = loadConfig({});
const modelRoot = join(mkdtempSync(join(tmpdir(), "video-yield-bench-models-")), "tiny");
await writeTinyModelSet(enginePython(config), config.engineDir, modelRoot);
for (const preempt of ["off", "sections"]) {
  for (const figure of await measure(preempt, image, modelRoot)) {
    process.stdout.write(`${JSON.stringify(figure)}\n`);
  }
}
