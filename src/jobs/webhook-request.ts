// One attempt to deliver a webhook message: a signed POST (Standard Webhooks) that
// follows no redirect, waits at most the timeout for the whole answer, and reads at most
// a few KB of the answer's body, so that no receiver can hold the sender or fill its memory.
import { Webhook } from "standardwebhooks";

/** Bytes of a receiver's answer read at most (the rest is discarded unread). */
const MAX_ANSWER_BYTES = 4096;
const USER_AGENT = "framepack-service-webhooks";

export interface WebhookMessage {
  /** The webhook-id: the same on every attempt, for the receiver to drop repeats. */
  id: string;
  url: string;
  /** The JSON body as sent. */
  payload: string;
}

export interface WebhookAnswer {
  /** The receiver's HTTP status; null when there was none. */
  statusCode: number | null;
  /** Why the attempt failed; null when the receiver took the message (2xx). */
  error: string | null;
}

/** Signs and sends messages with one secret ("whsec_" + base64). */
export class WebhookRequester {
  readonly #signer: Webhook;
  readonly #timeoutMs: number;

  constructor(secret: string, timeoutMs: number) {
    this.#signer = new Webhook(secret);
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Sends one attempt. `stop` aborts it (a graceful stop): the promise then rejects with
   * the abort, and the attempt is not one to record.
   */
  async send(message: WebhookMessage, stop: AbortSignal, at = new Date()): Promise<WebhookAnswer> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await fetch(message.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.any([stop, timeout]),
        headers: {
          "content-type": "application/json",
          "user-agent": USER_AGENT,
          "webhook-id": message.id,
          "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
          "webhook-signature": this.#signer.sign(message.id, at, message.payload),
        },
        body: message.payload,
      });
      await readAtMost(response.body, MAX_ANSWER_BYTES);
      return { statusCode: response.status, error: problemOf(response.status) };
    } catch (error) {
      if (stop.aborted) throw error;
      if (timeout.aborted) {
        return { statusCode: null, error: `no answer within ${this.#timeoutMs / 1000} s` };
      }
      return { statusCode: null, error: connectionProblem(error) };
    }
  }
}

function problemOf(status: number): string | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return `redirect (${status}) not followed`;
  return `the receiver answered ${status}`;
}

/** The cause's code or message ("ECONNREFUSED"), not the URL (which may carry a token). */
function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Reads up to `limit` bytes of a body and drops the rest without reading it. */
async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  let read = 0;
  try {
    while (read < limit) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
