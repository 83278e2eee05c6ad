// Debian's Chromium driven by playwright-core, and the prerequisites of the browser
// tests: the browser itself (scripts/chromium.sh installs it when missing) and a
// fresh build of the web UI, which the service serves from dist/web.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { PROJECT_ROOT } from "../../src/paths.js";

export const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = join(PROJECT_ROOT, ".tmp", "screenshots");
const run = promisify(execFile);

/** Installs Chromium if missing and builds the UI; run before the service starts. */
export async function prepareBrowserTests(): Promise<void> {
  if (!existsSync(CHROMIUM)) await run("bash", [join(PROJECT_ROOT, "scripts", "chromium.sh")]);
  await run(
    join(PROJECT_ROOT, "node_modules", ".bin", "vite"),
    ["build", "web", "--logLevel", "warn"],
    {
      cwd: PROJECT_ROOT,
    },
  );
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
}

/** Saves what the page shows now to .tmp/screenshots/<name>.png for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
