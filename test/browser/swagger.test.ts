// Swagger UI at /docs in a real browser (Debian's Chromium, headless), as a person first
// meets the API: on each generation endpoint "Try it out", then "Execute" with the body
// the page offers (the document's example), answers 202. No engine is needed for a 202
// (the job waits in the queue); test/api.test.ts runs the examples on the tiny engine.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleEngineFreeService, type AssembledService } from "../helpers/service.js";
import { launchChromium, screenshot } from "./browser.js";

let browser: Browser;
let service: AssembledService;
let url: string;

beforeAll(async () => {
  browser = await launchChromium();
  service = await assembleEngineFreeService();
  url = await service.app.listen({ host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await browser.close();
  await service.close();
});

/** Opens an operation on the page, presses "Try it out" and "Execute"; the answer's status. */
async function tryItOut(page: Page, path: string): Promise<string> {
  const operation = page.locator(`.opblock-post:has(.opblock-summary-path[data-path="${path}"])`);
  await operation.locator(".opblock-summary").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.getByRole("button", { name: "Execute" }).click();
  const status = operation.locator(".live-responses-table .response .response-col_status");
  await status.first().waitFor({ timeout: 30_000 });
  return (await status.first().innerText()).trim();
}

describe("Swagger UI at /docs", () => {
  it("answers 202 to Try it out on each generation endpoint, with the body it offers", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/docs`);
    await page.locator(".opblock-summary-path").first().waitFor();
    const answers: Record<string, string> = {};
    for (const path of [
      "/api/generate-image",
      "/api/batch-images",
      "/api/transfer-image",
      "/api/generate-video",
    ]) {
      answers[path] = await tryItOut(page, path);
    }
    await screenshot(page, "swagger-try-it-out");
    expect(answers).toEqual({
      "/api/generate-image": "202",
      "/api/batch-images": "202",
      "/api/transfer-image": "202",
      "/api/generate-video": "202",
    });
    // The summaries and the named 202 are what the page shows.
    await expect(page.getByText("Generate one image").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText("Job accepted").first().isVisible()).resolves.toBe(true);
    await page.close();
  });
});
