// What a person does on the studio page, in the words of the page (labels, buttons),
// so the tests read like the steps and break when the page stops being usable.
import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

/** Tiny settings that keep CPU jobs on the tiny model set to seconds. */
export const SMALL = { Width: "128", Height: "96", Steps: "3" };

export async function openPage(page: Page, name: string): Promise<void> {
  await page.getByRole("tab", { name, exact: true }).click();
}

export async function fill(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

/** Chooses a file (a picture, an MP4) for the upload field whose name starts with `field`. */
export async function chooseFile(page: Page, field: string, path: string): Promise<void> {
  const zone = page.getByRole("group", { name: new RegExp(`^${field}`) });
  await zone.locator('input[type="file"]').setInputFiles(path);
}

/** Drops a picture file on the image field whose name starts with `field`, as from a file manager. */
export async function dropImage(page: Page, field: string, path: string): Promise<void> {
  const zone = page.getByRole("group", { name: new RegExp(`^${field}`) });
  const base64 = JSON.stringify(readFileSync(path).toString("base64"));
  // Run in the page (a string: these tests are compiled without the DOM's types).
  const transfer = await page.evaluateHandle(`(() => {
    const bytes = Uint8Array.from(atob(${base64}), (char) => char.charCodeAt(0));
    const files = new DataTransfer();
    files.items.add(new File([bytes], "dropped.png", { type: "image/png" }));
    return files;
  })()`);
  await zone.dispatchEvent("drop", { dataTransfer: transfer });
}

/** The Generate page's live side, showing the job sent last. */
export function liveJob(page: Page): Locator {
  return page.locator(".job-panel .live-job");
}

/** Presses Generate and returns the short id (8 characters) of the queued job. */
export async function submit(page: Page): Promise<string> {
  const anyQueued = page.getByText(/Queued as job [0-9a-f]{8}/);
  // The notice of a job sent before is not this one's.
  const previous = (await anyQueued.count()) > 0 ? await anyQueued.textContent() : null;
  const queued = previous === null ? anyQueued : anyQueued.filter({ hasNotText: previous });
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await queued.waitFor({ timeout: 15_000 });
  const id = /job ([0-9a-f]{8})/.exec((await queued.textContent()) ?? "")?.[1];
  expect(id).toBeDefined();
  return id ?? "";
}

export function jobCard(page: Page, shortId: string): Locator {
  return page.locator(`.job-card[data-job-id^="${shortId}"]`);
}

export function galleryItem(page: Page, shortId: string): Locator {
  return page.locator(`.gallery-item[data-job-id^="${shortId}"]`);
}

/** Waits until `locator`'s attribute equals `value` (the page updates it live). */
export async function waitForAttribute(
  locator: Locator,
  name: string,
  value: string,
  timeoutMs = 60_000,
): Promise<void> {
  await locator.and(locator.page().locator(`[${name}="${value}"]`)).waitFor({ timeout: timeoutMs });
}

/** Drags across the middle of a mask canvas, as a person paints with the brush. */
export async function paintAcross(page: Page, canvas: Locator): Promise<void> {
  const box = await canvas.boundingBox();
  if (!box) throw new Error("the mask canvas is not visible");
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, y, { steps: 8 });
  await page.mouse.up();
}
