// Many SSE clients on one job, each measuring how long every progress event took from
// the moment the server emitted it (stamped in the event's `info`) to its arrival.
import http from "node:http";
import { sharedClockMs } from "./shared.mjs";

const CONNECT_BATCH = 100; // concurrent connects: stays under the listen backlog

/** Delivery lags (ms) of the stamped progress events a client received. */
function stampedLag(block) {
  if (!block.includes("event: progress")) return undefined;
  const data = block.split("\n").find((line) => line.startsWith("data: "));
  const info = data === undefined ? "" : String(JSON.parse(data.slice(6)).info);
  return /^\d+(\.\d+)?$/.test(info) ? sharedClockMs() - Number(info) : undefined;
}

function openClient(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`SSE answered ${response.statusCode}`));
        return;
      }
      const client = { lags: [], close: () => request.destroy() };
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const lag = stampedLag(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (lag !== undefined) client.lags.push(lag);
        }
      });
      response.on("error", () => undefined); // destroyed at the end
      resolve(client);
    });
    request.on("error", reject);
  });
}

/** `count` open event streams on `url`, connected in batches. */
export async function openClients(url, count) {
  const clients = [];
  while (clients.length < count) {
    const batch = Math.min(CONNECT_BATCH, count - clients.length);
    clients.push(...(await Promise.all(Array.from({ length: batch }, () => openClient(url)))));
  }
  return clients;
}

/** Resolves once every client has `events` stamped events, or after `timeoutMs`. */
export async function awaitDelivery(clients, events, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && clients.some((client) => client.lags.length < events)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return clients.flatMap((client) => client.lags);
}
