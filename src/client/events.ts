// A job's server-sent events as an async iterator: parsed with eventsource-parser,
// typed from the OpenAPI document, ending after `done`. A job outlives its connections
// (a proxy's 502, a restarting server), so a stream that fails, is cut, goes silent or
// is refused for the moment (408, 429, 5xx) is reopened with Last-Event-ID, backing off
// exponentially, for minutes before the follower gives up.
import { EVENT_STREAM_HEARTBEAT_MS } from "../contract/events.js";
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { Client } from "openapi-fetch";
import { EventStreamLostError, FramePackError } from "./errors.js";
import type { paths } from "./openapi.gen.js";

type StreamMessage =
  paths["/api/jobs/{id}/events"]["get"]["responses"][200]["content"]["text/event-stream"];

/** One event: its name, its JSON payload, and its `id:` (what Last-Event-ID resumes from). */
export type JobStreamEvent = StreamMessage & { id: number };

const EVENT_NAMES: ReadonlySet<string> = new Set<StreamMessage["event"]>([
  "status",
  "progress",
  "preview",
  "item",
  "done",
]);

export interface FollowOptions {
  /** Resume after this event id (0 = from the start). */
  lastEventId?: number;
  signal?: AbortSignal;
  /** Wait before the first reconnect, doubled for each failure in a row (default 500 ms). */
  reconnectDelayMs?: number;
  /** The longest wait between reconnects, unless Retry-After asks for more (default 15 s). */
  maxReconnectDelayMs?: number;
  /** Give up once reconnecting has failed for this long in a row (default 5 minutes). */
  reconnectForMs?: number;
  /** Also give up after this many failed reconnects in a row (default: no limit). */
  maxReconnects?: number;
  /**
   * Reconnect when the server sends nothing for this long (default three heartbeats,
   * 45 s): silence that long means a connection that died unnoticed.
   */
  idleTimeoutMs?: number;
}

/** Worth asking again: no answer, a cut or silent stream, or a refusal for the moment. */
function isPassing(error: unknown): boolean {
  if (!(error instanceof FramePackError)) return true;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

/** The wait before reconnect number `failures`: doubling, capped, jittered so that many
 * followers of a restarted server do not all come back at once. */
function backoffMs(failures: number, first: number, max: number): number {
  const full = Math.min(max, first * 2 ** (failures - 1));
  return full / 2 + (Math.random() * full) / 2;
}

export async function* followJobEvents(
  client: Client<paths>,
  jobId: string,
  options: FollowOptions = {},
): AsyncGenerator<JobStreamEvent> {
  const { signal } = options;
  const policy = {
    reconnectDelayMs: options.reconnectDelayMs ?? 500,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 15_000,
    reconnectForMs: options.reconnectForMs ?? 5 * 60_000,
    maxReconnects: options.maxReconnects ?? Infinity,
    idleTimeoutMs: options.idleTimeoutMs ?? 3 * EVENT_STREAM_HEARTBEAT_MS,
  };
  let lastEventId = options.lastEventId ?? 0;
  // The failures in a row, ended by a heartbeat or an event (a heartbeat too: a job may
  // wait long in the queue with nothing else to say; bytes alone might be a proxy's page).
  let failures = 0;
  let failingSince: number | undefined;
  const alive = () => {
    failures = 0;
    failingSince = undefined;
  };
  for (;;) {
    try {
      const connection = connect(client, jobId, lastEventId, {
        signal,
        idleTimeoutMs: policy.idleTimeoutMs,
        alive,
      });
      for await (const event of connection) {
        lastEventId = event.id;
        yield event;
        if (event.event === "done") return;
      }
      throw new Error("the event stream ended before the job did");
    } catch (error) {
      // A refusal that will not change by asking again (unknown job, bad key) is final.
      if (signal?.aborted || !isPassing(error)) throw error;
      failures += 1;
      failingSince ??= Date.now();
      const retryAfterMs = error instanceof FramePackError ? error.retryAfterMs : undefined;
      const wait =
        retryAfterMs ?? backoffMs(failures, policy.reconnectDelayMs, policy.maxReconnectDelayMs);
      const outOfTime = Date.now() + wait - failingSince > policy.reconnectForMs;
      if (outOfTime || failures > policy.maxReconnects) {
        throw new EventStreamLostError(jobId, lastEventId, error);
      }
      await sleep(wait, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}

interface ConnectionOptions {
  signal: AbortSignal | undefined;
  idleTimeoutMs: number;
  /** Called on each heartbeat and event. */
  alive: () => void;
}

/** One connection's events, from after `lastEventId`. */
async function* connect(
  client: Client<paths>,
  jobId: string,
  lastEventId: number,
  options: ConnectionOptions,
): AsyncGenerator<JobStreamEvent> {
  const { signal, idleTimeoutMs, alive } = options;
  signal?.throwIfAborted();
  // Ends this connection alone: when the caller aborts, or when the server goes silent.
  const connection = new AbortController();
  const abort = () => {
    connection.abort(signal?.reason);
  };
  signal?.addEventListener("abort", abort, { once: true });
  const silence = new Error(`the server sent nothing for ${idleTimeoutMs / 1000} s`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchSilence = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      connection.abort(silence);
    }, idleTimeoutMs);
  };
  watchSilence(); // also while waiting for the answer: a dead host may never give one
  try {
    const { data, error, response } = await client.GET("/api/jobs/{id}/events", {
      params: { path: { id: jobId } },
      parseAs: "stream",
      headers: lastEventId > 0 ? { "last-event-id": String(lastEventId) } : {},
      signal: connection.signal,
    });
    if (!response.ok || !data) throw FramePackError.from(response, error);
    // A heartbeat comment or an event: the server is there, and the job may take long.
    const heard = () => {
      watchSilence();
      alive();
    };
    // A reader, not `for await` over the stream: browsers without async-iterable streams
    // (Safari) run this too. Cancelled on the way out, which closes the connection.
    const messages = data
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream({ onComment: heard }))
      .getReader();
    try {
      for (;;) {
        const { done, value: message } = await messages.read();
        if (done) return;
        watchSilence();
        if (!message.event || !EVENT_NAMES.has(message.event)) continue; // unknown: newer server
        // Parsed before it counts as a sign of life: an event a proxy cut short fails each
        // connection the same way, and must not keep the follower from ever giving up.
        const data = JSON.parse(message.data) as unknown;
        alive();
        yield { id: Number(message.id), event: message.event, data } as JobStreamEvent;
      }
    } finally {
      messages.cancel().catch(() => undefined);
    }
  } catch (error) {
    // fetch reports the abort its own way; say it was the silence.
    throw connection.signal.reason === silence ? silence : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}
