// The queue page's queue control in a real browser (docs/api.md §6): the Pause/Resume
// button, a pending card's raise and lower, and a finished card's retry and delete (on
// the queue page and in the gallery), against a service without engines (jobs wait until cancelled).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleEngineFreeService, postJson, type AssembledService } from "../helpers/service.js";
import { launchChromium, prepareBrowserTests } from "./browser.js";
import { jobCard, waitForAttribute } from "./studio.js";

let browser: Browser;
let service: AssembledService;
let url: string;

beforeAll(async () => {
  await prepareBrowserTests();
  browser = await launchChromium();
  service = await assembleEngineFreeService();
  url = await service.app.listen({ host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await browser.close();
  await service.close();
});

async function studioPage(tab = "queue"): Promise<Page> {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${url}/#${tab}`);
  return page;
}

const submitted = async (prompt: string) =>
  String((await postJson(`${url}/api/generate-image`, { prompt })).body.job_id);

describe("queue control on the queue page", () => {
  it("pauses and resumes the queue", async () => {
    const page = await studioPage();
    await page.getByRole("button", { name: "Pause queue" }).click();
    await page.getByText("Paused: no new job starts").waitFor();
    expect((await service.app.inject({ url: "/api/queue" })).json()).toMatchObject({
      paused: true,
    });
    await page.getByRole("button", { name: "Resume queue" }).click();
    await page.getByRole("button", { name: "Pause queue" }).waitFor();
    expect(service.jobs.paused).toBe(false);
    await page.context().close();
  });

  it("raises and lowers a waiting job; retries and deletes a finished one", async () => {
    const id = await submitted("raise me");
    const short = id.slice(0, 8);
    const page = await studioPage();
    const card = jobCard(page, short);
    await waitForAttribute(card, "data-status", "pending");
    await page.getByRole("button", { name: `Raise the priority of job ${short}` }).click();
    await card.getByText("Priority 1").waitFor();
    expect((await service.store.get(id))?.priority).toBe(1);
    await page.getByRole("button", { name: `Lower the priority of job ${short}` }).click();
    await card.getByText("Priority 0").waitFor();

    await page.getByRole("button", { name: `Cancel job ${short}` }).click();
    await waitForAttribute(card, "data-status", "cancelled");
    const cards = page.locator(".job-card");
    const before = await cards.count();
    await page.getByRole("button", { name: `Submit job ${short} again` }).click();
    await expect.poll(() => cards.count()).toBe(before + 1);
    await page.getByRole("button", { name: `Delete job ${short} and its files` }).click();
    await expect.poll(() => card.count()).toBe(0);
    expect(await service.store.get(id)).toBeUndefined();
    await page.context().close();
  });

  it("deletes a finished job from the gallery", async () => {
    const id = await submitted("delete me from the gallery");
    const short = id.slice(0, 8);
    await service.app.inject({ method: "POST", url: `/api/jobs/${id}/cancel` });
    const page = await studioPage("gallery");
    await page.getByLabel("Status", { exact: true }).selectOption("cancelled");
    const item = page.locator(`.gallery-item[data-job-id="${id}"]`);
    await item.waitFor();
    await page.getByRole("button", { name: `Delete job ${short} and its files` }).click();
    await expect.poll(() => item.count()).toBe(0);
    expect(await service.store.get(id)).toBeUndefined();
    await page.context().close();
  });
});
