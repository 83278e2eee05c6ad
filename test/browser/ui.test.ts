// The web UI in a real browser (Debian's Chromium, headless) against the running
// service on the tiny model set: every job type through the forms, the live queue,
// the gallery, languages, phone width, the API key prompt, and a long job list.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/engine.js";
import {
  assembleEngineFreeService,
  postJson,
  startTestService,
  waitForJob,
  type AssembledService,
  type TestService,
} from "../helpers/service.js";
import { launchChromium, prepareBrowserTests, screenshot } from "./browser.js";
import { ACCEPTED, answerSubmission, isJobList, JobListAnswers } from "./network.js";
import { writePicture } from "./pictures.js";
import {
  chooseFile,
  dropImage,
  fill,
  galleryItem,
  jobCard,
  liveJob,
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

/** A page in a fresh context; `prepare` runs before it loads (routes, stored values). */
async function newPage(url: string, prepare?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({
    locale: "en-US",
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await prepare?.(page);
  await page.goto(url);
  return page;
}

/** Every value `data-status` of the job card takes from now on (read with seenStatuses). */
async function recordStatuses(page: Page, shortId: string): Promise<void> {
  await page.evaluate(`(() => {
    const card = document.querySelector('.job-card[data-job-id^="${shortId}"]');
    window.seenStatuses = [];
    new MutationObserver(() => window.seenStatuses.push(card.dataset.status)).observe(card, {
      attributes: true,
      attributeFilter: ["data-status"],
    });
  })()`);
}

const seenStatuses = (page: Page) => page.evaluate<string[]>("window.seenStatuses");

/** The gray level (0 black to 255 white) of a grayscale PNG at a fraction of its size. */
async function grayAt(png: Buffer, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const offset = Math.floor(y * info.height) * info.width + Math.floor(x * info.width);
  return data[offset * info.channels] ?? -1;
}

describe("the studio on the tiny model set", () => {
  let service: TestService;
  let page: Page;
  let pictures: { red: string; blue: string; portrait: string };
  const jobs: Record<string, string> = {};

  beforeAll(async () => {
    service = await startTestService();
    const dir = makeTempDir("ui");
    pictures = {
      red: await writePicture(dir, "red.png", [200, 40, 40]),
      blue: await writePicture(dir, "blue.png", [40, 60, 200]),
      portrait: await writePicture(dir, "portrait.png", [90, 160, 90], { width: 64, height: 96 }),
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
    // The server's summary sentence is shown above the form too.
    expect(await page.locator(".generate-form .form-errors").textContent()).toContain("width");
    await screenshot(page, "generate-validation");
    await page.getByRole("button", { name: "Reset to defaults" }).click();
  });

  it("follows a running job live over SSE; a late list answer does not take it back", async () => {
    // The list answers come without previews: one on the card came over the job's stream.
    const answers = await JobListAnswers.intercept(page);
    await fill(page, { Prompt: "a long one", ...SMALL, Steps: "100" });
    const running = await submit(page);
    const waiting = await submit(page);
    await page.getByRole("button", { name: "Show queue" }).click();
    const card = jobCard(page, running);
    await card.locator("img.job-preview").waitFor({ timeout: 60_000 });
    expect(await card.getByTestId("job-details").textContent()).toMatch(/Step \d+ of 100/);
    await screenshot(page, "queue-running");

    // Each card's Cancel button says which job it cancels.
    const waitingCard = jobCard(page, waiting);
    await waitingCard.getByRole("button", { name: `Cancel job ${waiting}` }).click();
    await waitForAttribute(waitingCard, "data-status", "cancelled");

    // A list answer from before the end arrives after the stream said `done`.
    await answers.hold();
    const id = (await card.getAttribute("data-job-id")) ?? "";
    await fetch(`${service.url}/api/jobs/${id}/cancel`, { method: "POST" });
    await waitForAttribute(card, "data-status", "cancelled");
    await recordStatuses(page, running);
    const nextList = page.waitForRequest((request) => isJobList(new URL(request.url())));
    answers.release();
    await nextList; // asked again only after the held answer was taken in
    expect(await seenStatuses(page)).toEqual([]);
    await answers.close();
  });

  it("keeps the queue current when list answers take longer than the pause between them", async () => {
    const answers = await JobListAnswers.intercept(page);
    answers.delayMs = 2500;
    const { body } = await postJson(`${service.url}/api/generate-image`, {
      prompt: "late answers",
      width: 128,
      height: 96,
      steps: 1,
    });
    const card = jobCard(page, String(body.job_id).slice(0, 8));
    await card.waitFor({ timeout: 10_000 });
    await answers.close();
    // Finished looks finished: the final phase and the time it took, not "decoding".
    await waitForAttribute(card, "data-status", "completed");
    expect(await card.getByTestId("job-details").textContent()).toMatch(/^100% done/);
    expect(await card.locator(".job-info").textContent()).toMatch(/^Finished in \d+\.\d s$/);
  });

  it("keeps a painted mask across pages; shows refusals beside the mask and in More settings", async () => {
    await openPage(page, "Generate");
    await openPage(page, "Transfer");
    await chooseFile(page, "Target image", pictures.red);
    await chooseFile(page, "Source image", pictures.blue);
    await paintAcross(page, page.locator('canvas[data-mask="target"]'));
    await page.getByText(/^Mask painted/).waitFor();

    // Away and back: the mask is still there, on the canvas too.
    await openPage(page, "Queue");
    await openPage(page, "Generate");
    await page.getByText(/^Mask painted/).waitFor();
    const paintedAlpha = `(() => {
      const canvas = document.querySelector('canvas[data-mask="target"]');
      return canvas.getContext("2d").getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data[3];
    })()`;
    await expect.poll(() => page.evaluate(paintedAlpha)).toBeGreaterThan(0);
    await fill(page, { Prompt: "wearing blue", ...SMALL });

    const refusal = {
      status: 422,
      json: {
        error: {
          code: "validation_failed",
          message: "Invalid request: check source_image, target_mask, gs.",
          details: [
            { field: "source_image", message: "must have required property" },
            { field: "target_mask", message: "is not a readable image" },
            { field: "gs", message: "must be <= 32" },
          ],
        },
      },
    };
    await answerSubmission(page, "/api/transfer-image", refusal, () =>
      page.getByRole("button", { name: "Generate", exact: true }).click(),
    );
    await page.getByText("Invalid request: check source_image, target_mask, gs.").waitFor();
    // A missing picture is named after its field (the server's detail for it).
    expect(await page.locator("#image-source_image-error").textContent()).toBe(
      "must have required property",
    );
    expect(await page.locator("#mask-target-error").textContent()).toBe("is not a readable image");
    expect(await page.locator("details.advanced").getAttribute("open")).not.toBeNull();
    expect(await page.locator("#field-gs-error").isVisible()).toBe(true);
    await screenshot(page, "generate-transfer");

    jobs.transfer = await submit(page);
    // Stored with the job as painted: black where painted (repaint), white elsewhere (keep).
    const maskFile = readdirSync(service.dataDir, { recursive: true })
      .map(String)
      .find((file) => file.endsWith("target-mask.png"));
    expect(maskFile).toBeDefined();
    const mask = readFileSync(join(service.dataDir, maskFile ?? ""));
    expect(await grayAt(mask, 0.5, 0.5)).toBeLessThan(128);
    expect(await grayAt(mask, 0.02, 0.05)).toBeGreaterThan(128);

    // The same picture chosen again starts without a mask: on the canvas too, not only the form.
    await chooseFile(page, "Target image", pictures.red);
    await page.getByText(/^Mask painted/).waitFor({ state: "detached" });
    await expect.poll(() => page.evaluate(paintedAlpha)).toBe(0);
  });

  it("generates an image, a batch and a video, and shows every output", async () => {
    await openPage(page, "Generate");
    await openPage(page, "Image");
    await fill(page, { Prompt: "a lighthouse", ...SMALL });
    jobs.image = await submit(page);

    await openPage(page, "Batch");
    await fill(page, { "Prompts (one a line)": "one\ntwo", "Images per pass": "2", ...SMALL });
    jobs.batch = await submit(page);

    await openPage(page, "Video");
    await chooseFile(page, "Start image", pictures.red);
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
    await screenshot(page, "gallery");
  });

  it("shows the job it sent beside the form: progress, then the result, and again with a new seed", async () => {
    await openPage(page, "Generate");
    await openPage(page, "Image");
    await fill(page, { Prompt: "beside the form", ...SMALL, Steps: "30" });
    const first = await submit(page);
    const live = liveJob(page);
    await page
      .locator(`.job-panel .live-job[data-job-id^="${first}"]`)
      .waitFor({ timeout: 15_000 });
    // Progress in the page's words, over the whole job, with the time left.
    const details = live.getByTestId("job-details");
    await expect
      .poll(() => details.textContent(), { timeout: 60_000 })
      .toMatch(/^\d+% sampling · Step \d+ of 30$/);
    await expect
      .poll(() => live.getByTestId("job-info").textContent(), { timeout: 60_000 })
      .toMatch(/^About \d+:\d\d left$|^Finished in/);
    await waitForAttribute(live, "data-status", "completed", 120_000);
    await live.locator(".live-result img").waitFor();
    expect(await live.getByTestId("job-info").textContent()).toMatch(/^Finished in \d+\.\d s$/);
    expect(await live.locator(".live-result figcaption").textContent()).toMatch(/Seed \d+/);
    // Never left the page to see it.
    const generateTab = page.getByRole("tab", { name: "Generate", exact: true });
    expect(await generateTab.getAttribute("aria-selected")).toBe("true");
    await screenshot(page, "generate-result");

    await live.getByRole("button", { name: "Again with a new seed" }).click();
    await page
      .getByText(/Queued as job [0-9a-f]{8}/)
      .filter({ hasNotText: first })
      .waitFor();
    const again = (await live.getAttribute("data-job-id")) ?? "";
    expect(again.startsWith(first)).toBe(false);
    const record = (await (await fetch(`${service.url}/api/jobs/${again}`)).json()) as {
      data: { prompt: string; seed: number; steps: number };
    };
    expect(record.data).toMatchObject({ prompt: "beside the form", seed: -1, steps: 30 });
    await fetch(`${service.url}/api/jobs/${again}/cancel`, { method: "POST" });
    await waitForAttribute(live, "data-status", "cancelled");
  });

  it("shows a finished job's result on its card: a picture, a video's first frame and length", async () => {
    await openPage(page, "Queue");
    const picture = jobCard(page, jobs.image ?? "").locator("a.job-thumbnail");
    await picture.locator("img").waitFor();
    expect(await picture.getAttribute("href")).toMatch(/\/api\/outputs\/.+\.png$/);
    const video = jobCard(page, jobs.video ?? "").locator("a.job-thumbnail");
    expect(await video.locator("video").getAttribute("preload")).toBe("metadata");
    expect(await video.locator(".video-length").textContent()).toMatch(/^\d+\.\d s$/);
    expect(
      await jobCard(page, jobs.video ?? "")
        .getByText("No preview yet")
        .count(),
    ).toBe(0);
    await screenshot(page, "queue-finished");
  });

  it("proposes a dropped portrait picture's own aspect for the size, which stays editable", async () => {
    await openPage(page, "Generate");
    await openPage(page, "Image");
    const width = page.getByLabel("Width", { exact: true });
    const height = page.getByLabel("Height", { exact: true });
    await dropImage(page, "Input image", pictures.portrait);
    // 2:3 at the area of the default 1216x704.
    await page.getByTestId("size-proposal").waitFor();
    expect([await width.inputValue(), await height.inputValue()]).toEqual(["752", "1120"]);
    await fill(page, { Width: "512" });
    expect(await width.inputValue()).toBe("512");
    await page.getByRole("button", { name: "Reset to defaults" }).click();

    // No default size on a video: FramePack's 640 bucket, as the engine would choose.
    await openPage(page, "Video");
    await dropImage(page, "Start image", pictures.portrait);
    await expect.poll(() => width.inputValue()).toBe("512");
    expect(await height.inputValue()).toBe("768");
    await page.getByRole("button", { name: "Reset to defaults" }).click();
  });

  it("sends what was typed: a LoRA scale key by key, seeds without empty parts", async () => {
    writeFileSync(join(service.loraDir, "style.safetensors"), "");
    await page.reload();
    await openPage(page, "Generate");
    await openPage(page, "Image");
    // Seed -1 needs a minus sign: not a digits-only keyboard.
    expect(await page.getByLabel("Seed (-1 = random)").getAttribute("inputmode")).toBe("text");
    await fill(page, { Prompt: "with a LoRA" });
    await page.getByRole("button", { name: "Add LoRA" }).click();
    const scale = page.getByLabel("Scale of style.safetensors");
    expect(await scale.inputValue()).toBe("1");
    await scale.fill("");
    await scale.pressSequentially("-0.5");
    expect(await scale.inputValue()).toBe("-0.5");
    const generate = () => page.getByRole("button", { name: "Generate", exact: true }).click();
    const image = await answerSubmission(page, "/api/generate-image", ACCEPTED, generate);
    expect(image.lora_paths).toEqual(["style.safetensors"]);
    expect(image.lora_scales).toEqual([-0.5]);
    await page.getByRole("button", { name: "Remove style.safetensors" }).click();
    expect(await scale.count()).toBe(0);

    await openPage(page, "Batch");
    await fill(page, {
      "Prompts (one a line)": "one\ntwo",
      "Seeds (one per prompt, comma-separated)": ", 7, 8,",
    });
    const batch = await answerSubmission(page, "/api/batch-images", ACCEPTED, generate);
    expect(batch.seeds).toEqual([7, 8]);
  });

  it("sends timed prompts, keyframes and control images as lists of objects", async () => {
    await page.reload();
    await openPage(page, "Generate");
    await openPage(page, "Video");
    await fill(page, { Prompt: "timed" });
    await chooseFile(page, "Start image", pictures.red);
    const timed = "Timed prompts (from a second of the video on)";
    const row = (list: string, n: number) => page.getByRole("group", { name: `${list} ${n}` });
    await page.getByRole("button", { name: `Add to ${timed}` }).click();
    await page.getByRole("button", { name: `Add to ${timed}` }).click();
    await row(timed, 1).getByLabel("From second").fill("0.5");
    await row(timed, 2).getByLabel("From second").fill("1.5");
    await row(timed, 2).getByLabel("Prompt", { exact: true }).fill("she waves");
    await row(timed, 1).getByRole("button", { name: "Remove" }).click();
    const keyframes = "Keyframes (base model; section 0 = the first seconds)";
    await page.getByRole("button", { name: `Add to ${keyframes}` }).click();
    await row(keyframes, 1).getByLabel("Section").fill("1");
    await row(keyframes, 1).locator('input[type="file"]').setInputFiles(pictures.blue);
    await row(keyframes, 1).getByRole("img").waitFor();
    const generate = () => page.getByRole("button", { name: "Generate", exact: true }).click();
    const video = await answerSubmission(page, "/api/generate-video", ACCEPTED, generate);
    const png = expect.stringMatching(/^data:image\/png;base64,/) as unknown;
    expect(video.section_prompts).toEqual([{ start: 1.5, prompt: "she waves" }]);
    expect(video.keyframes).toEqual([{ section: 1, image: png }]);
    await screenshot(page, "video-timeline");

    await openPage(page, "Image");
    await fill(page, { Prompt: "two references" });
    const controls = "Control images (1f-mc)";
    await page.getByRole("button", { name: `Add to ${controls}` }).click();
    await page.getByRole("button", { name: `Add to ${controls}` }).click();
    const files = (n: number) => row(controls, n).locator('input[type="file"]');
    await files(1).first().setInputFiles(pictures.red);
    await files(1).last().setInputFiles(pictures.blue);
    await files(2).first().setInputFiles(pictures.blue);
    await row(controls, 2).getByLabel("Index").fill("1");
    await expect.poll(() => row(controls, 1).getByRole("img").count()).toBe(2);
    await row(controls, 2).getByRole("img").waitFor();
    const image = await answerSubmission(page, "/api/generate-image", ACCEPTED, generate);
    expect(image.control_images).toEqual([
      { image: png, mask: png },
      { image: png, index: 1 },
    ]);
    await screenshot(page, "control-images");
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

    // A batch: one seed per prompt, from its items.
    await openPage(page, "Gallery");
    const batch = galleryItem(page, jobs.batch ?? "");
    const batchId = (await batch.getAttribute("data-job-id")) ?? "";
    const record = (await (await fetch(`${service.url}/api/jobs/${batchId}`)).json()) as {
      batch_progress: { items: { seed: number }[] };
    };
    const items = record.batch_progress.items;
    await batch.getByRole("button", { name: "Use these settings" }).click();
    expect(await page.getByLabel("Seeds (one per prompt, comma-separated)").inputValue()).toBe(
      items.map((item) => item.seed).join(", "),
    );
  });

  it("shows outputs full size, labelled, stepping by keyboard; parameters with the seeds used", async () => {
    await openPage(page, "Gallery");
    const batch = galleryItem(page, jobs.batch ?? "");
    // The list loads after the tab opens: wait for it rather than read it at once.
    await expect
      .poll(() => batch.locator(".output-label").allTextContents())
      .toEqual(["#1 · one", "#2 · two"]);
    // The requested seeds were random: the parameters show the ones used, marked so.
    const batchSeeds = await batch.locator(".parameters dd").allTextContents();
    expect(batchSeeds.some((text) => /^\[\d+,\d+\] \(random\)$/.test(text))).toBe(true);
    const image = galleryItem(page, jobs.image ?? "");
    const seed = /Seed (\d+)/.exec((await image.locator("figcaption").textContent()) ?? "")?.[1];
    await image.locator(".parameters summary").click();
    await image.getByText(`${seed ?? "?"} (random)`, { exact: true }).waitFor();
    expect(await image.locator(".parameters").textContent()).not.toContain("-1");

    const opener = batch.getByRole("button", { name: "View large: #1 · one" });
    await opener.click();
    const first = page.getByRole("dialog", { name: "#1 · one" });
    await first.waitFor();
    const largeWidth = 'document.querySelector(".viewer-stage img")?.naturalWidth ?? 0';
    await expect.poll(() => page.evaluate<number>(largeWidth)).toBe(128);
    expect(await page.evaluate<boolean>('document.activeElement?.closest("dialog") !== null')).toBe(
      true,
    );
    await page.keyboard.press("ArrowRight");
    await page.getByRole("dialog", { name: "#2 · two" }).waitFor();
    await screenshot(page, "gallery-viewer");
    await page.keyboard.press("ArrowLeft");
    await first.waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    const focused = 'document.activeElement?.getAttribute("aria-label") ?? null';
    expect(await page.evaluate<string | null>(focused)).toBe("View large: #1 · one");

    // A video opens large and plays there.
    await galleryItem(page, jobs.video ?? "")
      .getByRole("button", { name: "View large: it moves" })
      .click();
    await page.getByRole("dialog", { name: "it moves" }).locator("video").waitFor();
    await page.getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
  });

  it("filters the gallery by prompt text, type and date", async () => {
    await openPage(page, "Gallery");
    const titles = () => page.locator(".gallery-item .job-title").allTextContents();
    await page.getByLabel("Prompt contains").fill("LIGHTHOUSE");
    await galleryItem(page, jobs.image ?? "").waitFor();
    await expect.poll(titles).toEqual(["a lighthouse"]);
    await page.getByLabel("Prompt contains").fill("");
    await page.getByLabel("Type", { exact: true }).selectOption("video");
    await expect.poll(titles).toEqual(["it moves"]);
    await page.getByLabel("Type", { exact: true }).selectOption("");
    const day = (offset: number) => {
      const date = new Date(Date.now() + offset * 86_400_000);
      const two = (value: number) => String(value).padStart(2, "0");
      return `${String(date.getFullYear())}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
    };
    await page.getByLabel("To", { exact: true }).fill(day(-1));
    await page.getByText("No jobs match these filters.").waitFor();
    await page.getByLabel("To", { exact: true }).fill(day(0));
    await galleryItem(page, jobs.video ?? "").waitFor();
    await page.getByLabel("To", { exact: true }).fill("");
  });

  it("'use these settings' brings the job's stored pictures back, mask included", async () => {
    await openPage(page, "Gallery");
    await galleryItem(page, jobs.transfer ?? "")
      .getByRole("button", { name: "Use these settings" })
      .click();
    await page.getByText(/^Settings and pictures of job [0-9a-f]{8} loaded\.$/).waitFor();
    /** The colour near the corner of the picture an image field shows. */
    const colour = (slot: string) =>
      page.evaluate<number[]>(`(async () => {
        const img = document.querySelector('[data-upload-slot="${slot}"] img');
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext("2d");
        context.drawImage(img, 0, 0);
        return [...context.getImageData(2, 2, 1, 1).data].slice(0, 3);
      })()`);
    const [red, blue] = [await colour("target_image"), await colour("source_image")];
    expect(red[0]).toBeGreaterThan(150);
    expect(blue[2]).toBeGreaterThan(150);
    await page.getByText(/^Mask painted/).waitFor();
    expect(await page.getByLabel("Prompt", { exact: true }).inputValue()).toBe("wearing blue");
    // The server takes them as they are: the form sends again without choosing anything.
    await submit(page);
  });

  it("'use these settings' brings back the pictures of lists: control images and a mask", async () => {
    const base64 = (path: string) => readFileSync(path).toString("base64");
    const posted = await postJson(`${service.url}/api/generate-image`, {
      prompt: "two references again",
      width: 128,
      height: 96,
      steps: 1,
      control_images: [
        { image: base64(pictures.red), mask: base64(pictures.blue) },
        { image: base64(pictures.blue), index: 1 },
      ],
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    const id = String(posted.body.job_id);
    expect((await waitForJob(service.url, id)).status).toBe("completed");
    await openPage(page, "Gallery");
    await galleryItem(page, id.slice(0, 8))
      .getByRole("button", { name: "Use these settings" })
      .click();
    await page.getByText(/^Settings and pictures of job [0-9a-f]{8} loaded\.$/).waitFor();
    const controls = "Control images (1f-mc)";
    const row = (n: number) => page.getByRole("group", { name: `${controls} ${n}` });
    await expect.poll(() => row(1).getByRole("img").count()).toBe(2);
    await expect.poll(() => row(2).getByRole("img").count()).toBe(1);
    expect(await row(2).getByLabel("Index").inputValue()).toBe("1");

    // Sent again as they came back: each picture in its place (told apart by colour).
    const generate = () => page.getByRole("button", { name: "Generate", exact: true }).click();
    const body = await answerSubmission(page, "/api/generate-image", ACCEPTED, generate);
    const sent = body.control_images as { image: string; mask?: string; index?: number }[];
    const redOf = async (uri: string | undefined) => {
      const png = Buffer.from((uri ?? "").replace(/^data:image\/png;base64,/, ""), "base64");
      return (await sharp(png).raw().toBuffer())[0] ?? -1;
    };
    // (The record keeps the index each control image had: 0 where none was given.)
    expect(sent.map((control) => control.index)).toEqual([0, 1]);
    expect(await redOf(sent[0]?.image)).toBeGreaterThan(150);
    expect(await redOf(sent[0]?.mask)).toBeLessThan(100);
    expect(await redOf(sent[1]?.image)).toBeLessThan(100);
  });

  it("fills the form from a dropped PNG of ours; a picture field still takes its own drop", async () => {
    const record = (await (await fetch(`${service.url}/api/jobs/${jobs.image ?? ""}`)).json()) as {
      result: { images: { url: string; seed: number }[] };
    };
    const output = record.result.images[0];
    const png = Buffer.from(
      await (await fetch(`${service.url}${output?.url ?? ""}`)).arrayBuffer(),
    );
    await openPage(page, "Generate");
    await openPage(page, "Image");
    await page.getByRole("button", { name: "Reset to defaults" }).click();
    /** A DataTransfer holding the PNG as a file of this name, as a drop carries it. */
    const dropped = (name: string) =>
      page.evaluateHandle(`(() => {
        const bytes = Uint8Array.from(atob("${png.toString("base64")}"), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], ${JSON.stringify(name)}, { type: "image/png" }));
        return transfer;
      })()`);
    await page
      .locator("form.generate-form .fields")
      .first()
      .dispatchEvent("drop", { dataTransfer: await dropped("result.png") });
    await page.getByText("Settings loaded from result.png.").waitFor();
    expect(await page.getByLabel("Prompt", { exact: true }).inputValue()).toBe("a lighthouse");
    expect(await page.getByLabel("Seed (-1 = random)").inputValue()).toBe(String(output?.seed));
    expect(await page.getByLabel("Width", { exact: true }).inputValue()).toBe("128");
    expect(await page.getByLabel("Height", { exact: true }).inputValue()).toBe("96");
    expect(await page.getByLabel("Steps", { exact: true }).inputValue()).toBe("3");

    await page.getByLabel("Prompt", { exact: true }).fill("kept");
    await page
      .getByRole("group", { name: /^Input image/ })
      .dispatchEvent("drop", { dataTransfer: await dropped("picture.png") });
    await page
      .getByRole("group", { name: /^Input image/ })
      .locator("img")
      .waitFor();
    expect(await page.getByLabel("Prompt", { exact: true }).inputValue()).toBe("kept");
    await page.getByRole("button", { name: "Reset to defaults" }).click();
  });

  it("filters the queue by type and status", async () => {
    await openPage(page, "Queue");
    await page.getByLabel("Type", { exact: true }).selectOption("video");
    await jobCard(page, jobs.video ?? "").waitFor();
    await expect.poll(() => page.locator(".job-card").count()).toBe(1);
    await page.getByLabel("Type", { exact: true }).selectOption("");
    await page.getByLabel("Status", { exact: true }).selectOption("cancelled");
    // The live test's two, and the Generate page's "again" one.
    await expect.poll(() => page.locator(".job-card").count()).toBe(3);
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

  it("builds progress texts in Japanese from the job's numbers; transfer is 着せ替え", async () => {
    await page.getByLabel("Language").selectOption("ja");
    await page.getByRole("tab", { name: "生成", exact: true }).click();
    await page.getByRole("tab", { name: "着せ替え", exact: true }).waitFor();
    const { body } = await postJson(`${service.url}/api/generate-image`, {
      prompt: "ゆっくり",
      width: 128,
      height: 96,
      steps: 100,
    });
    const id = String(body.job_id);
    await page.getByRole("tab", { name: "キュー", exact: true }).click();
    const running = jobCard(page, id.slice(0, 8));
    await expect
      .poll(() => running.getByTestId("job-details").textContent(), { timeout: 60_000 })
      .toMatch(/^\d+% サンプリング中 · ステップ \d+ \/ 100$/);
    await expect
      .poll(() => running.getByTestId("job-info").textContent(), { timeout: 60_000 })
      .toMatch(/^残り約 \d+:\d\d$/);
    await screenshot(page, "queue-japanese");
    await fetch(`${service.url}/api/jobs/${id}/cancel`, { method: "POST" });
    const finished = jobCard(page, jobs.image ?? "");
    expect(await finished.getByTestId("job-details").textContent()).toMatch(/^100% 完了/);
    expect(await finished.getByTestId("job-info").textContent()).toMatch(/^\d+\.\d 秒で完了$/);
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
    // The job panel goes below the form on a narrow window (beside it on a wide one).
    const formBox = await page.locator(".generate-form").boundingBox();
    const panelBox = await page.locator(".job-panel").boundingBox();
    expect(panelBox?.y ?? 0).toBeGreaterThan((formBox?.y ?? 0) + (formBox?.height ?? 0) - 1);
    // Tab from the page start (where a click on the title leaves it) reaches the selected
    // page tab, a real button; the other tabs are not extra Tab stops.
    await page.getByRole("heading", { name: "FramePack Studio" }).click();
    await page.keyboard.press("Tab");
    const focused = await page.evaluate("document.activeElement?.getAttribute('role')");
    expect(focused).toBe("tab");
    // Arrow keys move between the tabs, showing the tab's panel.
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tabpanel", { name: "Queue" }).waitFor();
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Queue");
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
    // A pasted key with a space would make every request throw: refused before it is kept.
    await dialog.getByLabel("API key").fill("two words");
    await dialog.getByRole("button", { name: "Save key" }).click();
    await dialog.getByText("A key holds printable ASCII characters only").waitFor();
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

  it("asks once: a closed prompt stays closed, and the page says what was refused", async () => {
    const page = await newPage(`${url}/#queue`);
    const dialog = page.getByRole("dialog");
    await dialog.getByText("This server needs an API key.").waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    // The queue's list is refused again and again meanwhile: wait for two more refusals.
    for (let refusal = 0; refusal < 2; refusal++) {
      await page.waitForResponse(
        (response) => response.url().includes("/api/jobs") && response.status() === 401,
      );
    }
    expect(await dialog.count()).toBe(0);
    const refused = page.locator('[role="alert"]', { hasText: "An API key is required" });
    await refused.waitFor();
    // System: the report and the LoRA list were refused too.
    await openPage(page, "System");
    await expect.poll(() => refused.count()).toBe(2);
    await page.context().close();
  });

  it("fetches outputs with the key as they come into view, again once a wrong key is fixed", async () => {
    const png = await sharp({
      create: { width: 96, height: 64, channels: 3, background: { r: 9, g: 9, b: 9 } },
    })
      .png()
      .toBuffer();
    const finished = Array.from({ length: 40 }, (_, index) => ({
      id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
      type: "image",
      status: "completed",
      data: { prompt: `picture ${String(index)}` },
      created_at: new Date(Date.UTC(2025, 0, 1, 0, 0, 40 - index)).toISOString(),
      result: {
        images: [
          { url: `/api/outputs/${String(index)}/out.png`, seed: index, width: 96, height: 64 },
        ],
        video: null,
        seeds: [index],
        metadata: {},
      },
    }));
    let keyedDownloads = 0;
    const page = await newPage(`${url}/#gallery`, async (page) => {
      await page.addInitScript('localStorage.setItem("framepack.apiKey", "not-the-key")');
      await page.route(isJobList, (route) =>
        route.fulfill({ json: { jobs: finished, next_cursor: null } }),
      );
      await page.route("**/api/outputs/**", async (route) => {
        if (route.request().headers().authorization !== `Bearer ${KEY}`) {
          await route.fulfill({
            status: 403,
            json: { error: { code: "forbidden", message: "no", details: [] } },
          });
          return;
        }
        keyedDownloads++;
        await route.fulfill({ contentType: "image/png", body: png });
      });
    });
    const dialog = page.getByRole("dialog");
    await dialog.getByText("The API key was not accepted").waitFor();
    await dialog.getByLabel("API key").fill(KEY);
    await dialog.getByRole("button", { name: "Save key" }).click();
    const shown = (index: number) =>
      page.locator(".gallery-item").nth(index).locator('.output img[src^="blob:"]');
    await shown(0).waitFor();
    expect(keyedDownloads).toBeLessThan(finished.length);
    await page.locator(".gallery-item").last().scrollIntoViewIfNeeded();
    await shown(finished.length - 1).waitFor();
    await page.context().close();
  });
});

describe("a service without engines", () => {
  let service: AssembledService;
  let url: string;

  beforeAll(async () => {
    service = await assembleEngineFreeService();
    url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  });

  afterAll(async () => {
    await service.close();
  });

  it("says it is not reachable and retrying, instead of the browser's words beside 'No jobs.'", async () => {
    const page = await newPage(`${url}/#queue`);
    await page.getByText("No jobs.").waitFor();
    await page.route(isJobList, (route) => route.abort("connectionrefused"));
    const down = page.getByTestId("server-down");
    await down.waitFor();
    expect(await down.textContent()).toBe("The server is not reachable; retrying…");
    expect(await page.getByText("No jobs.").count()).toBe(0);
    expect(await page.getByText("Failed to fetch").count()).toBe(0);
    await screenshot(page, "server-down");
    // Back as soon as it answers again.
    await page.unroute(isJobList);
    await page.getByText("No jobs.").waitFor();
    expect(await down.count()).toBe(0);
    await page.context().close();
  });

  it("says on a failed card why it failed", async () => {
    const failed = {
      id: "00000000-0000-4000-8000-0000000000f1",
      type: "image",
      status: "failed",
      data: { prompt: "too big" },
      created_at: new Date().toISOString(),
      error: { code: "out_of_memory", message: "The device ran out of memory." },
      result: null,
      progress: 0.4,
      step: 2,
      total: 5,
      phase: "sampling",
      info: "step 2 of 5",
      duration_s: null,
      batch_progress: null,
      queue_position: null,
    };
    const page = await newPage(`${url}/#queue`, async (page) => {
      await page.route(isJobList, (route) =>
        route.fulfill({ json: { jobs: [failed], next_cursor: null } }),
      );
    });
    const card = jobCard(page, "00000000");
    await waitForAttribute(card, "data-status", "failed");
    expect(await card.getByTestId("job-info").textContent()).toBe(
      "Failed: The device ran out of memory.",
    );
    await page.context().close();
  });

  it("shows 50 jobs and more on request, and a waiting job however many are newer", async () => {
    // No engines here: jobs wait until cancelled.
    const queue = async () =>
      String((await postJson(`${url}/api/generate-image`, { prompt: "waits" })).body.job_id);
    const waiting = await queue();
    for (let index = 0; index < 55; index++) {
      await fetch(`${url}/api/jobs/${await queue()}/cancel`, { method: "POST" });
    }
    const page = await newPage(`${url}/#queue`);
    const cards = page.locator(".job-card");
    await expect.poll(() => cards.count()).toBe(51);
    await waitForAttribute(jobCard(page, waiting.slice(0, 8)), "data-status", "pending");
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => cards.count()).toBe(56);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    await page.context().close();
  });
});
