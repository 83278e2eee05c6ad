// Reading a server-sent event stream in tests: one parser for both API surfaces.
import { expect } from "vitest";

export interface SseMessage {
  id: number | null;
  event: string | null;
  data: string;
}

function parseBlock(block: string): SseMessage | undefined {
  const field = (name: string) =>
    block
      .split("\n")
      .find((line) => line.startsWith(`${name}: `))
      ?.slice(name.length + 2);
  const data = field("data");
  if (data === undefined) return undefined; // heartbeat comments
  const id = field("id");
  return { id: id === undefined ? null : Number(id), event: field("event") ?? null, data };
}

/** An open SSE response; `read` collects messages until `until` says stop or it ends. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const read = async (until: (message: SseMessage) => boolean = () => false) => {
    const messages: SseMessage[] = [];
    while (reader) {
      const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const message = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!message) continue;
        messages.push(message);
        if (until(message)) {
          await reader.cancel();
          return messages;
        }
      }
    }
    return messages;
  };
  return { read };
}
