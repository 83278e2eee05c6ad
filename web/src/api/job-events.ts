// A job's server-sent events read with fetch (EventSource cannot send the API key
// header), resumed with Last-Event-ID when the connection drops before `done`.
import { refused } from "./client";
import { authHeaders } from "./key";

export interface JobEvent {
  name: string;
  data: unknown;
}

const RETRY_MS = 1000;
const MAX_RETRIES = 5;

function parseBlock(block: string): { id?: string; event: JobEvent } | undefined {
  let name = "message";
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue; // heartbeat comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "id") id = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return undefined;
  return {
    ...(id === undefined ? {} : { id }),
    event: { name, data: JSON.parse(data.join("\n")) },
  };
}

/** Reads one connection; returns the last event id seen and whether `done` arrived. */
async function readOnce(
  url: string,
  lastId: string | undefined,
  onEvent: (event: JobEvent) => void,
  signal: AbortSignal,
): Promise<{ lastId: string | undefined; done: boolean }> {
  const headers: Record<string, string> = { ...authHeaders(), accept: "text/event-stream" };
  if (lastId !== undefined) headers["last-event-id"] = lastId;
  const response = await fetch(url, { headers, signal });
  if (!response.ok || !response.body) {
    refused(response.status);
    throw new Error(`events: HTTP ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { lastId, done: false };
    buffer += value.replace(/\r\n/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const parsed = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (!parsed) continue;
      lastId = parsed.id ?? lastId;
      onEvent(parsed.event);
      if (parsed.event.name === "done") {
        await reader.cancel();
        return { lastId, done: true };
      }
    }
  }
}

/** Follows a job until its `done` event, the abort signal, or too many failed retries. */
export async function followJob(
  id: string,
  onEvent: (event: JobEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const url = `/api/jobs/${encodeURIComponent(id)}/events`;
  let lastId: string | undefined;
  for (let retries = 0; retries <= MAX_RETRIES && !signal.aborted; retries++) {
    try {
      const outcome = await readOnce(url, lastId, onEvent, signal);
      if (outcome.done) return;
      lastId = outcome.lastId;
    } catch {
      // Dropped or refused: try again after a pause, unless aborted (the loop checks).
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
