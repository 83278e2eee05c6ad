// A job's server-sent events as an async iterator: parsed with eventsource-parser,
// typed from the OpenAPI document, ending after `done`, and resumed with Last-Event-ID
// when the connection drops before that.
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { Client } from "openapi-fetch";
import { FramePackError } from "./errors.js";
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
  /** Reconnects in a row without a new event before giving up (default 5). */
  maxReconnects?: number;
  /** Wait before the n-th reconnect in a row: n times this (default 500 ms). */
  reconnectDelayMs?: number;
}

export async function* followJobEvents(
  client: Client<paths>,
  jobId: string,
  options: FollowOptions = {},
): AsyncGenerator<JobStreamEvent> {
  const { signal, maxReconnects = 5, reconnectDelayMs = 500 } = options;
  let lastEventId = options.lastEventId ?? 0;
  for (let failures = 0; ;) {
    try {
      for await (const event of connect(client, jobId, lastEventId, signal)) {
        failures = 0;
        lastEventId = event.id;
        yield event;
        if (event.event === "done") return;
      }
      throw new Error("the event stream ended before the job did");
    } catch (error) {
      // A refusal (unknown job, bad key) will not change by asking again.
      if (signal?.aborted || error instanceof FramePackError) throw error;
      if (++failures > maxReconnects) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs * failures));
  }
}

/** One connection's events, from after `lastEventId`. */
async function* connect(
  client: Client<paths>,
  jobId: string,
  lastEventId: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<JobStreamEvent> {
  const { data, error, response } = await client.GET("/api/jobs/{id}/events", {
    params: { path: { id: jobId } },
    parseAs: "stream",
    headers: lastEventId > 0 ? { "last-event-id": String(lastEventId) } : {},
    ...(signal ? { signal } : {}),
  });
  if (!response.ok || !data) throw FramePackError.from(response, error);
  // A reader, not `for await` over the stream: browsers without async-iterable streams
  // (Safari) run this too. Cancelled on the way out, which closes the connection.
  const messages = data
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (;;) {
      const { done, value: message } = await messages.read();
      if (done) return;
      if (!message.event || !EVENT_NAMES.has(message.event)) continue; // unknown: newer server
      yield {
        id: Number(message.id),
        event: message.event,
        data: JSON.parse(message.data) as unknown,
      } as JobStreamEvent;
    }
  } finally {
    messages.cancel().catch(() => undefined);
  }
}
