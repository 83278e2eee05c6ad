// Continuing a video in the studio (docs/api.md §2): the gallery's "Continue this video"
// on a finished video sets the Video form to continue it with F1, and the form sends the
// "continue from" field as typed, without a start image; against the tiny engine.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { solidPngBase64 } from "../helpers/engine.js";
import { postJson, startTestService, waitForJob, type TestService } from "../helpers/service.js";
import { launchChromium, prepareBrowserTests, screenshot } from "./browser.js";
import { ACCEPTED, answerSubmission } from "./network.js";
import { galleryItem } from "./studio.js";

const CONTINUE_FROM = "Continue from job (F1: a finished video's id)";

let browser: Browser;
let service: TestService;

beforeAll(async () => {
  await prepareBrowserTests();
  browser = await launchChromium();
  service = await startTestService();
});

afterAll(async () => {
  await browser.close();
  await service.close();
});

async function studioPage(tab: string): Promise<Page> {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${service.url}/#${tab}`);
  return page;
}

describe("continuing a video in the studio", () => {
  it("the gallery continues a finished video: the Video form sends continue_from with F1", async () => {
    const image = await solidPngBase64(64, 48, 90);
    const small = { width: 96, height: 64, steps: 1, video_length: 1 };
    const posted = await postJson(`${service.url}/api/generate-video`, {
      prompt: "a kite rises",
      image,
      sampling_mode: "forward",
      ...small,
    });
    const id = String(posted.body.job_id);
    expect((await waitForJob(service.url, id)).status).toBe("completed");

    const page = await studioPage("gallery");
    const item = galleryItem(page, id.slice(0, 8));
    await item.getByRole("button", { name: "Continue this video" }).click();
    const field = page.getByLabel(CONTINUE_FROM, { exact: true });
    await expect.poll(() => field.inputValue()).toBe(id);
    expect(await page.getByLabel("Prompt", { exact: true }).inputValue()).toBe("a kite rises");
    expect(await page.getByLabel("Sampling mode", { exact: true }).inputValue()).toBe("forward");
    await screenshot(page, "video-continue");

    const generate = () => page.getByRole("button", { name: "Generate", exact: true }).click();
    const body = await answerSubmission(page, "/api/generate-video", ACCEPTED, generate);
    expect(body).toMatchObject({ continue_from: id, sampling_mode: "forward" });
    expect(body).not.toHaveProperty("image");

    // Typed by hand (a short id), it goes out as typed; emptied, it is left out.
    await field.fill("1a2b3c4d");
    const typed = await answerSubmission(page, "/api/generate-video", ACCEPTED, generate);
    expect(typed.continue_from).toBe("1a2b3c4d");
    await field.fill("");
    const cleared = await answerSubmission(page, "/api/generate-video", ACCEPTED, generate);
    expect(cleared).not.toHaveProperty("continue_from");
    await page.context().close();
  });
});
