// The page's traffic, changed where a test needs it: job-list answers made late, held
// back, or without previews; a submission answered here instead of by the server.
import type { Page, Request, Route } from "playwright-core";

/** GET /api/jobs, the list (not a job's events or record). */
export const isJobList = (url: URL): boolean => url.pathname === "/api/jobs";

/**
 * Answers the page's list requests with the server's answer, minus every preview (so a
 * preview on the page came over a job's event stream), late by `delayMs`, and held back
 * while hold() is in force (so an answer arrives after what happened meanwhile).
 */
export class JobListAnswers {
  delayMs = 0;
  #gate: { open: () => void; opened: Promise<void>; onHeld: () => void } | undefined;

  private constructor(private readonly page: Page) {}

  static async intercept(page: Page): Promise<JobListAnswers> {
    const answers = new JobListAnswers(page);
    await page.route(isJobList, (route) => answers.#answer(route));
    return answers;
  }

  /** Holds every answer from now on; resolves once one (from before this moment) is held. */
  hold(): Promise<void> {
    return new Promise((held) => {
      let open: () => void = () => undefined;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      this.#gate = { open, opened, onHeld: held };
    });
  }

  /** Lets the held answers through. */
  release(): void {
    this.#gate?.open();
    this.#gate = undefined;
  }

  async close(): Promise<void> {
    this.release();
    await this.page.unroute(isJobList);
  }

  async #answer(route: Route): Promise<void> {
    try {
      const response = await route.fetch();
      const body = (await response.json()) as { jobs: { preview: string | null }[] };
      for (const job of body.jobs) job.preview = null;
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const gate = this.#gate;
      if (gate) {
        gate.onHeld();
        await gate.opened;
      }
      await route.fulfill({ response, json: body });
    } catch {
      // The page gave the request up meanwhile (a newer one replaced it), or it closed.
    }
  }
}

/** What the server answers to a submission it accepts (no job is made for it here). */
export const ACCEPTED = {
  status: 202,
  json: {
    job_id: "0000000a-0000-4000-8000-000000000000",
    status: "pending",
    links: { self: "", events: "", cancel: "" },
  },
};

/**
 * Answers the POST to `path` that `act` makes with `answer` instead of the server, and
 * resolves with the request body the page sent.
 */
export async function answerSubmission(
  page: Page,
  path: string,
  answer: { status: number; json: unknown },
  act: () => Promise<void>,
): Promise<Record<string, unknown>> {
  const matches = (url: URL) => url.pathname === path;
  let caught: (request: Request) => void = () => undefined;
  const request = new Promise<Request>((resolve) => {
    caught = resolve;
  });
  await page.route(matches, async (route) => {
    caught(route.request());
    await route.fulfill(answer);
  });
  await act();
  const body = (await request).postDataJSON() as Record<string, unknown>;
  await page.unroute(matches);
  return body;
}
