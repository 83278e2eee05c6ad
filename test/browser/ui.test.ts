// The web UI in a real browser (Debian's Chromium, headless) against the running
// service on the tiny model set: every job type through the forms, the live queue,
// the gallery, languages, phone width, and the API key prompt.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/engine.js";
import {
  assembleEngineFreeService,
  startTestService,
  type AssembledService,
  type TestService,
} from "../helpers/service.js";
import { launchChromium, prepareBrowserTests, screenshot } from "./browser.js";
import { writePicture } from "./pictures.js";
import {
  fill,
  galleryItem,
  jobCard,
  openPage,
  paintAcross,
  SMALL,
  submit,
  waitForAttribute,
} from "./studio.js";

let browser: Browser;

beforeAll(async () => {
  await prepareBrowserTests();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

async function newPage(url: string): Promise<Page> {
  const context = await browser.newContext({
    locale: "en-US",
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

describe("the studio on the tiny model set", () => {
  let service: TestService;
  let page: Page;
  let pictures: { red: string; blue: string };
  const jobs: Record<string, string> = {};

  beforeAll(async () => {
    service = await startTestService();
    const dir = makeTempDir("ui");
    pictures = {
      red: await writePicture(dir, "red.png", [200, 40, 40]),
      blue: await writePicture(dir, "blue.png", [40, 60, 200]),
    };
    page = await newPage(service.url);
  });

  afterAll(async () => {
    await page.context().close();
    await service.close();
  });

  it("shows the engines and a banner while the tiny demo model is in use", async () => {
    await openPage(page, "System");
    await page.getByText("Demo model in use").waitFor();
    await page.locator('.engine-card[data-engine="engine-0"]').waitFor();
    await screenshot(page, "system");
  });

  it("shows the server's validation message beside the field", async () => {
    await openPage(page, "Generate");
    await fill(page, { Prompt: "too wide", Width: "5000" });
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    const error = page.locator("#field-width-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("2048");
    expect(await page.getByLabel("Width", { exact: true }).getAttribute("aria-invalid")).toBe(
      "true",
    );
    await screenshot(page, "generate-validation");
    await page.getByRole("button", { name: "Reset to defaults" }).click();
  });

  it("follows a running job live (progress, step, preview) and cancels it", async () => {
    await fill(page, { Prompt: "a long one", ...SMALL, Steps: "100" });
    const id = await submit(page);
    await page.getByRole("button", { name: "Show queue" }).click();
    const card = jobCard(page, id);
    await card.locator("img.job-preview").waitFor({ timeout: 60_000 });
    expect(await card.getByTestId("job-details").textContent()).toMatch(/Step \d+ of 100/);
    await screenshot(page, "queue-running");
    await card.getByRole("button", { name: "Cancel" }).click();
    await waitForAttribute(card, "data-status", "cancelled");
  });

  it("generates an image, a batch, a transfer with painted masks and a video", async () => {
    await openPage(page, "Generate");
    await openPage(page, "Image");
    await fill(page, { Prompt: "a lighthouse", ...SMALL });
    jobs.image = await submit(page);

    await openPage(page, "Batch");
    await fill(page, { "Prompts (one a line)": "one\ntwo", "Images per pass": "2", ...SMALL });
    jobs.batch = await submit(page);

    await openPage(page, "Transfer");
    await page.getByLabel(/^Target image/).setInputFiles(pictures.red);
    await page.getByLabel(/^Source image/).setInputFiles(pictures.blue);
    await paintAcross(page, page.locator('canvas[data-mask="target"]'));
    await page.getByText(/^Mask painted/).waitFor();
    await fill(page, { Prompt: "wearing blue", ...SMALL });
    await screenshot(page, "generate-transfer");
    jobs.transfer = await submit(page);

    await openPage(page, "Video");
    await page.getByLabel("Start image").setInputFiles(pictures.red);
    await fill(page, { Prompt: "it moves", "Video length (seconds)": "1", ...SMALL, Steps: "2" });
    await screenshot(page, "generate-video");
    jobs.video = await submit(page);

    await openPage(page, "Gallery");
    const expected = { image: 1, batch: 2, transfer: 1 };
    for (const [kind, images] of Object.entries(expected)) {
      const item = galleryItem(page, jobs[kind] ?? "");
      await item.waitFor({ timeout: 120_000 });
      await expect.poll(() => item.locator(".output img").count()).toBe(images);
    }
    const video = galleryItem(page, jobs.video);
    await video.locator("video").waitFor({ timeout: 120_000 });
    // The painted target mask travelled with the request and was stored with the job.
    const files = readdirSync(service.dataDir, { recursive: true }).map(String);
    expect(files.some((file) => file.endsWith("target-mask.png"))).toBe(true);
    await screenshot(page, "gallery");
  });

  it("stacks LoRAs from the server's LoRA folder, each with its scale", async () => {
    writeFileSync(join(service.loraDir, "style.safetensors"), "");
    await page.reload();
    await openPage(page, "Generate");
    await openPage(page, "Image");
    await page.getByRole("button", { name: "Add LoRA" }).click();
    const scale = page.getByLabel("Scale of style.safetensors");
    expect(await scale.inputValue()).toBe("1");
    await scale.fill("0.8");
    await page.getByRole("button", { name: "Remove style.safetensors" }).click();
    expect(await scale.count()).toBe(0);
  });

  it("refills the form from a result, seed included", async () => {
    await openPage(page, "Gallery");
    const item = galleryItem(page, jobs.image ?? "");
    const caption = (await item.locator("figcaption").textContent()) ?? "";
    const seed = /Seed (\d+)/.exec(caption)?.[1];
    expect(seed).toBeDefined();
    await item.getByRole("button", { name: "Use these settings" }).click();
    await page.getByText(/Settings of job .* loaded/).waitFor();
    expect(await page.getByLabel("Prompt", { exact: true }).inputValue()).toBe("a lighthouse");
    expect(await page.getByLabel("Seed (-1 = random)").inputValue()).toBe(seed);
    expect(await page.getByLabel("Width", { exact: true }).inputValue()).toBe("128");
  });

  it("filters the queue by type and status", async () => {
    await openPage(page, "Queue");
    await page.getByLabel("Type", { exact: true }).selectOption("video");
    await jobCard(page, jobs.video ?? "").waitFor();
    await expect.poll(() => page.locator(".job-card").count()).toBe(1);
    await page.getByLabel("Type", { exact: true }).selectOption("");
    await page.getByLabel("Status", { exact: true }).selectOption("cancelled");
    await expect.poll(() => page.locator(".job-card").count()).toBe(1);
    await page.getByLabel("Status", { exact: true }).selectOption("");
  });

  it("switches to Japanese and keeps the choice", async () => {
    await page.getByLabel("Language").selectOption("ja");
    await page.getByRole("tab", { name: "ギャラリー" }).waitFor();
    await page.reload();
    await page.getByRole("tab", { name: "ギャラリー" }).click();
    await page.getByRole("button", { name: "この設定を使う" }).first().waitFor();
    await screenshot(page, "gallery-japanese");
    await page.getByLabel("言語").selectOption("en");
    await page.getByRole("tab", { name: "Gallery" }).waitFor();
  });

  it("fits a phone screen and is reachable by keyboard", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openPage(page, "Queue");
    await page.locator(".job-card").first().waitFor();
    await screenshot(page, "queue-phone");
    const scrollWidth = await page.evaluate("document.documentElement.scrollWidth");
    expect(scrollWidth).toBeLessThanOrEqual(390);
    await openPage(page, "Generate");
    await screenshot(page, "generate-phone");
    // Tab from the page start reaches the page tabs as real buttons.
    await page.locator("body").focus();
    await page.keyboard.press("Tab");
    const focused = await page.evaluate("document.activeElement?.getAttribute('role')");
    expect(focused).toBe("tab");
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe("a server with API keys", () => {
  const KEY = "browser-test-key-0123456789abcdef0123";
  let service: AssembledService;
  let url: string;

  beforeAll(async () => {
    service = await assembleEngineFreeService({ apiKeys: [KEY] });
    url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  });

  afterAll(async () => {
    await service.close();
  });

  it("serves the page without a key, asks for one, keeps it, and sends it", async () => {
    expect((await fetch(`${url}/api/system`)).status).toBe(401);
    const page = await newPage(`${url}/#system`);
    const dialog = page.getByRole("dialog");
    await dialog.getByText("This server needs an API key.").waitFor();
    await screenshot(page, "api-key-prompt");
    await dialog.getByLabel("API key").fill("not-the-key");
    await dialog.getByRole("button", { name: "Save key" }).click();
    await dialog.getByText("The API key was not accepted").waitFor();
    await dialog.getByLabel("API key").fill(KEY);
    await dialog.getByRole("button", { name: "Save key" }).click();
    await page.getByText("No engine is running.").waitFor();
    expect(await dialog.count()).toBe(0);
    await page.reload();
    await page.getByText("No engine is running.").waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);
    await screenshot(page, "api-key-accepted");
    await page.context().close();
  });
});
