// Continuing a video in the studio (docs/api.md §2): the gallery's "Continue this video"
// on a finished video sets the Video form to continue it with F1, and the form sends the
// "continue from" field as typed, without a start image; an MP4 chosen in the form goes
// out as continue_video and is continued; against the tiny engine.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, solidPngBase64 } from "../helpers/engine.js";
import {
  getJob,
  postJson,
  startTestService,
  waitForJob,
  type TestService,
} from "../helpers/service.js";
import { launchChromium, prepareBrowserTests, screenshot } from "./browser.js";
import { ACCEPTED, answerSubmission } from "./network.js";
import { chooseFile, fill, galleryItem, openPage } from "./studio.js";

const CONTINUE_FROM = "Continue from job (F1: a finished video's id)";
const CONTINUE_VIDEO = "Or continue an MP4";

let browser: Browser;
let service: TestService;
/** A finished F1 video of the tiny engine (its id). */
let video: string;

beforeAll(async () => {
  await prepareBrowserTests();
  browser = await launchChromium();
  service = await startTestService();
  const posted = await postJson(`${service.url}/api/generate-video`, {
    prompt: "a kite rises",
    image: await solidPngBase64(64, 48, 90),
    sampling_mode: "forward",
    width: 96,
    height: 64,
    steps: 1,
    video_length: 1,
  });
  video = String(posted.body.job_id);
  expect((await waitForJob(service.url, video)).status).toBe("completed");
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
    const id = video;
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

  it("an MP4 chosen in the Video form is sent as continue_video and continued", async () => {
    const finished = await getJob(service.url, video);
    const mp4 = Buffer.from(
      await (await fetch(`${service.url}${finished.result?.video?.url ?? ""}`)).arrayBuffer(),
    );
    const file = join(makeTempDir("studio-mp4"), "earlier.mp4");
    writeFileSync(file, mp4);

    const page = await studioPage("generate");
    await openPage(page, "Video");
    await fill(page, { Prompt: "the kite dives" });
    await page.getByText("More settings", { exact: true }).click();
    await page.getByLabel("Sampling mode", { exact: true }).selectOption("forward");
    await fill(page, { Width: "96", Height: "64", Steps: "1", "Video length (seconds)": "1" });
    await chooseFile(page, CONTINUE_VIDEO, file);
    const zone = page.getByRole("group", { name: new RegExp(`^${CONTINUE_VIDEO}`) });
    await zone.locator("video").waitFor();

    const generate = () => page.getByRole("button", { name: "Generate", exact: true }).click();
    const body = await answerSubmission(page, "/api/generate-video", ACCEPTED, generate);
    expect(String(body.continue_video)).toBe(`data:video/mp4;base64,${mp4.toString("base64")}`);
    expect(body).not.toHaveProperty("image");

    // Sent for real, the tiny engine continues it: the frames before are the MP4's.
    await generate();
    const queued = page.getByText(/^Queued as job /);
    const shortId = /job (\w+)/.exec((await queued.textContent()) ?? "")?.[1] ?? "";
    const continued = await waitForJob(service.url, shortId);
    expect(continued.status, JSON.stringify(continued.error)).toBe("completed");
    expect(continued.result?.metadata).toMatchObject({
      continued_from: "upload",
      frames_before: finished.result?.video?.frames,
    });
    await page.context().close();
  });
});
