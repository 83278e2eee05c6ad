// Starting real engine processes on the tiny model set for tests.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import sharp from "sharp";
import { inject } from "vitest";
import { enginePython, loadConfig } from "../../src/config.js";
import { EngineProcess, type EngineProcessOptions } from "../../src/engine/process.js";

export const testLogger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export function startTestEngine(overrides: Partial<EngineProcessOptions> = {}) {
  const config = loadConfig({});
  return EngineProcess.start({
    id: "test-engine",
    python: enginePython(config),
    cwd: config.engineDir,
    modelRoot: inject("tinyModelRoot"),
    device: "cpu",
    heartbeatIntervalS: 0.5,
    startTimeoutMs: 60_000,
    logger: testLogger,
    ...overrides,
  });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `framepack-${prefix}-`));
}

/** Writes a small gradient PNG and returns its path. */
export async function writeTestImage(dir: string, width: number, height: number): Promise<string> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels[offset] = (x * 255) / width;
      pixels[offset + 1] = (y * 255) / height;
      pixels[offset + 2] = 128;
    }
  }
  const path = join(dir, "input.png");
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
  return path;
}

/** A PNG of one grey level, base64 as requests carry images. */
export async function solidPngBase64(
  width: number,
  height: number,
  level: number,
): Promise<string> {
  const pixels = Buffer.alloc(width * height * 3, level);
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return png.toString("base64");
}

/**
 * A process id to signal, refusing a missing one: process.kill(0, ...) would signal the
 * test runner's own process group.
 */
export function livePid(pid: number | undefined): number {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) {
    throw new Error(`no process id to signal (got ${String(pid)})`);
  }
  return pid;
}
