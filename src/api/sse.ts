// Server-sent event streams on hijacked replies: heartbeat comments so proxies keep
// them open, optional `id:` lines for resumption, and every open stream ended when
// the server closes (or close() would wait for the clients to leave).
import type { FastifyInstance, FastifyReply } from "fastify";

export interface EventStream {
  /** `id:` (when given), `event: <name>` (when named) and one `data:` line. */
  send: (data: string, name?: string, id?: number) => void;
  end: () => void;
  /** Runs once when the client leaves or the stream ends. */
  onClose: (cleanup: () => void) => void;
}

function openEventStream(reply: FastifyReply, heartbeatMs: number): EventStream {
  reply.hijack();
  const stream = reply.raw;
  // A client that left while the route was loading has fired its 'close' already:
  // its stream runs each cleanup at once instead of waiting for an event that is gone.
  let closed = stream.destroyed || (stream.socket?.destroyed ?? true);
  const cleanups: (() => void)[] = [];
  if (!closed) {
    stream.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    stream.flushHeaders(); // the client sees the stream open before the first event
    const heartbeat = setInterval(() => stream.write(": heartbeat\n\n"), heartbeatMs);
    cleanups.push(() => {
      clearInterval(heartbeat);
    });
    stream.once("close", finish);
  }
  function finish(): void {
    closed = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
  }
  return {
    send: (data, name, id) => {
      if (closed || stream.writableEnded) return;
      const head = `${id === undefined ? "" : `id: ${id}\n`}${name ? `event: ${name}\n` : ""}`;
      stream.write(`${head}data: ${data}\n\n`);
    },
    end: () => {
      if (!closed && !stream.writableEnded) stream.end();
      finish();
    },
    onClose: (cleanup) => {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
  };
}

/** Opens streams for one plugin's routes and ends those still open when the app closes. */
export function eventStreams(app: FastifyInstance, heartbeatMs: number) {
  const open = new Set<EventStream>();
  app.addHook("preClose", (done) => {
    for (const stream of open) stream.end();
    done();
  });
  return (reply: FastifyReply): EventStream => {
    const stream = openEventStream(reply, heartbeatMs);
    open.add(stream);
    stream.onClose(() => open.delete(stream));
    return stream;
  };
}
