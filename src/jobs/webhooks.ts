// Jobs' webhooks (docs/api.md §6): the events a job's request subscribed to become
// messages in the store (webhook_deliveries) at once, and are delivered from there,
// retried with exponential back-off until a receiver takes them (2xx) or their time runs
// out. Each attempt is recorded with the message's new state in one transaction, so that
// a restart resumes exactly the messages still owed: none lost, none that a receiver
// took sent again. (An attempt cut off by a crash before its record is sent again, with
// the same webhook-id, for the receiver to recognise.)
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { DEFAULT_WEBHOOK_EVENTS, type JobStatus, type WebhookEvent } from "../contract/requests.js";
import type { DeliveryLogEntry } from "../contract/webhook-log.js";
import type { JobRecord } from "../store/types.js";
import type {
  AttemptOutcome,
  DeliveryAttempt,
  Delivery,
  WebhookDeliveryStore,
} from "../store/webhook-deliveries.js";
import type { JobEvent } from "./events.js";
import { WebhookRequester } from "./webhook-request.js";
import { isAllowedHost, redactedUrl, type WebhookPolicy } from "./webhook-policy.js";

export interface WebhookSenderOptions {
  deliveries: WebhookDeliveryStore;
  /** The job store's reads. */
  jobs: { get(id: string): Promise<JobRecord | undefined> };
  /** The job record as the API shows it: a message's `data`. */
  view: (job: JobRecord) => unknown;
  logger: Logger;
  /** WEBHOOK_SECRET; null: no job can have a webhook (submissions are refused). */
  secret: string | null;
  policy: WebhookPolicy;
  timeoutMs: number;
  /** Wait after the first failed attempt; doubled after each further one. */
  retryBaseMs: number;
  /** A message is given up this long after its event. */
  retryForMs: number;
}

/** Messages sent at once, at most. */
const MAX_IN_FLIGHT = 8;
/** Longest wait between retries. */
const MAX_RETRY_DELAY_MS = 3_600_000;
/** Progress messages of one job at most this often. */
const PROGRESS_INTERVAL_MS = 5000;
/** Longest sleep of the sender's timer (it wakes for new messages anyway). */
const MAX_SLEEP_MS = 60_000;
/** Pause before trying again when the store could not be read. */
const STORE_RETRY_MS = 1000;

/** Wait before attempt `attempt + 1`, after `attempt` failed ones. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
}

export class WebhookSender {
  readonly #o: WebhookSenderOptions;
  readonly #requester: WebhookRequester | undefined;
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Messages being written: a stop waits for them before the store closes. */
  readonly #adding = new Set<Promise<void>>();
  readonly #lastProgress = new Map<string, number>();
  readonly #stopping = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  /** The pass of #pump under way, if any: a stop waits for it. */
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;

  constructor(options: WebhookSenderOptions) {
    this.#o = options;
    this.#requester = options.secret
      ? new WebhookRequester(options.secret, options.timeoutMs)
      : undefined;
  }

  /** Announcements a crash cut off are made now; then the messages owed are sent. */
  async start(): Promise<void> {
    if (!this.#requester) return;
    const since = new Date(Date.now() - this.#o.retryForMs).toISOString();
    for (const { id } of await this.#o.deliveries.unannounced(since)) {
      const job = await this.#o.jobs.get(id);
      const event = job && terminalEventOf(job.status);
      if (job && event) await this.#add(job, event);
    }
    this.#wake();
  }

  /** Stops sending: attempts under way are abandoned (not recorded, so sent again later). */
  async stop(): Promise<void> {
    this.#stopping.abort();
    clearTimeout(this.#timer);
    await this.#pumping;
    await Promise.allSettled([...this.#adding, ...this.#inFlight.values()]);
  }

  /** Every job event goes through here (the service's event hub observes with it). */
  readonly observe = (jobId: string, event: JobEvent): void => {
    if (!this.#requester || this.#stopping.signal.aborted) return;
    const webhookEvent = webhookEventOf(event);
    if (webhookEvent === undefined) return;
    if (webhookEvent === "progress" && !this.#progressDue(jobId)) return;
    if (event.name === "done") this.#lastProgress.delete(jobId);
    const adding = this.#o.jobs
      .get(jobId)
      .then((job) => (job ? this.#add(job, webhookEvent) : undefined))
      .catch((error: unknown) => {
        this.#o.logger.error({ job: jobId, err: error }, "a webhook message could not be stored");
      })
      .finally(() => this.#adding.delete(adding));
    this.#adding.add(adding);
  };

  /** A job's messages, oldest first, with every attempt. */
  async log(jobId: string): Promise<DeliveryLogEntry[]> {
    const deliveries = await this.#o.deliveries.ofJob(jobId);
    return deliveries.map((delivery) => ({
      id: delivery.id,
      type: `job.${delivery.event}`,
      url: redactedUrl(delivery.url),
      status: delivery.status,
      created_at: iso(delivery.createdAt),
      next_attempt_at: delivery.status === "pending" ? iso(delivery.nextAttemptAt) : null,
      attempts: delivery.log.map((attempt) => ({
        attempt: attempt.attempt,
        at: iso(attempt.at),
        duration_ms: attempt.durationMs,
        status_code: attempt.statusCode,
        error: attempt.error,
      })),
    }));
  }

  #progressDue(jobId: string): boolean {
    const now = Date.now();
    const last = this.#lastProgress.get(jobId);
    if (last !== undefined && now - last < PROGRESS_INTERVAL_MS) return false;
    this.#lastProgress.set(jobId, now);
    return true;
  }

  /** Stores the message of `event` when the job's request subscribed to it. */
  async #add(job: JobRecord, event: WebhookEvent): Promise<void> {
    const { webhook, webhook_events: events = DEFAULT_WEBHOOK_EVENTS } = job.data;
    if (webhook === undefined || !events.includes(event)) return;
    const now = Date.now();
    const added = await this.#o.deliveries.add({
      id: `msg_${randomUUID().replaceAll("-", "")}`,
      jobId: job.id,
      event,
      dedupeKey: dedupeKeyOf(job, event),
      url: webhook,
      payload: JSON.stringify({
        type: `job.${event}`,
        timestamp: new Date(now).toISOString(),
        data: this.#o.view(job),
      }),
      createdAt: now,
      giveUpAt: now + this.#o.retryForMs,
    });
    if (added) this.#wake();
  }

  /** Starts the messages due (as many as may be in flight), then sleeps until the next. */
  #wake(): void {
    if (this.#stopping.signal.aborted) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: unknown) => {
        this.#o.logger.warn({ err: error }, "webhook messages could not be read; retrying");
        this.#sleep(STORE_RETRY_MS);
      })
      .finally(() => {
        this.#pumping = undefined;
        if (this.#pumpAgain) {
          this.#pumpAgain = false;
          this.#wake();
        }
      });
  }

  async #pump(): Promise<void> {
    clearTimeout(this.#timer);
    const now = Date.now();
    const room = MAX_IN_FLIGHT - this.#inFlight.size;
    if (room > 0) {
      const due = await this.#o.deliveries.due(now, room + this.#inFlight.size);
      if (this.#stopping.signal.aborted) return;
      for (const delivery of due.filter(({ id }) => !this.#inFlight.has(id)).slice(0, room)) {
        this.#launch(delivery);
      }
    }
    const next = await this.#o.deliveries.nextDue();
    if (next === undefined) return;
    // Messages due now are in flight (or wait for room): their ends wake the sender.
    if (next <= now && this.#inFlight.size > 0) return;
    this.#sleep(next - now);
  }

  #sleep(ms: number): void {
    if (this.#stopping.signal.aborted) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#wake();
      },
      Math.min(Math.max(ms, 10), MAX_SLEEP_MS),
    ).unref();
  }

  #launch(delivery: Delivery): void {
    const sending = this.#attempt(delivery)
      .catch((error: unknown) => {
        if (this.#stopping.signal.aborted) return; // abandoned: sent again after the restart
        this.#o.logger.error(
          { job: delivery.jobId, webhook: delivery.id, err: error },
          "a webhook attempt could not be recorded; it is tried again",
        );
      })
      .finally(() => {
        this.#inFlight.delete(delivery.id);
        this.#wake();
      });
    this.#inFlight.set(delivery.id, sending);
  }

  async #attempt(delivery: Delivery): Promise<void> {
    const requester = this.#requester;
    if (!requester) return;
    const started = Date.now();
    const attempt = delivery.attempts + 1;
    // Checked again: WEBHOOK_ALLOWED_HOSTS may have changed since the submission.
    const allowed = isAllowedHost(new URL(delivery.url), this.#o.policy);
    const answer = allowed
      ? await requester.send(delivery, this.#stopping.signal)
      : { statusCode: null, error: "the host is no longer in WEBHOOK_ALLOWED_HOSTS" };
    const ended = Date.now();
    const record: DeliveryAttempt = {
      attempt,
      at: started,
      durationMs: ended - started,
      statusCode: answer.statusCode,
      error: answer.error,
    };
    const outcome = this.#outcome(delivery, attempt, answer.error, allowed, ended);
    await this.#o.deliveries.record(delivery.id, record, outcome);
    const fields = {
      job: delivery.jobId,
      webhook: delivery.id,
      type: `job.${delivery.event}`,
      url: redactedUrl(delivery.url),
      attempt,
      status_code: answer.statusCode,
    };
    if (outcome.status === "pending") {
      this.#o.logger.info(
        { ...fields, error: answer.error, retry_at: iso(outcome.nextAttemptAt) },
        "webhook attempt failed; retrying",
      );
    } else if (outcome.status === "failed") {
      this.#o.logger.warn({ ...fields, error: answer.error }, "webhook given up");
    } else {
      this.#o.logger.debug(fields, "webhook delivered");
    }
  }

  #outcome(
    delivery: Delivery,
    attempt: number,
    error: string | null,
    hostAllowed: boolean,
    now: number,
  ): AttemptOutcome {
    if (error === null) return { status: "delivered" };
    const nextAttemptAt = now + retryDelayMs(attempt, this.#o.retryBaseMs);
    if (!hostAllowed || nextAttemptAt > delivery.giveUpAt) return { status: "failed" };
    return { status: "pending", nextAttemptAt };
  }
}

/** The webhook event an event of the hub is, if any. */
function webhookEventOf(event: JobEvent): WebhookEvent | undefined {
  const status = (event.data as { status?: JobStatus } | null)?.status;
  if (event.name === "progress") return "progress";
  if (event.name === "status" && status === "processing") return "start";
  if (event.name === "done" && status) return terminalEventOf(status);
  return undefined;
}

function terminalEventOf(status: JobStatus): WebhookEvent | undefined {
  return status === "completed" || status === "failed" || status === "cancelled"
    ? status
    : undefined;
}

/** Events a job has once (per attempt, for its start) are stored once, however often announced. */
function dedupeKeyOf(job: JobRecord, event: WebhookEvent): string | null {
  if (event === "progress") return null;
  if (event === "start") return `${job.id}:start:${job.attempts}`;
  return `${job.id}:${event}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
