// Event streams on hijacked replies: a client that leaves while its route is still
// loading must not leave a heartbeat timer and a subscription behind.
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { eventStreams } from "../src/api/sse.js";

describe("event streams", () => {
  const app = Fastify();
  afterEach(() => app.close());

  it("clean up at once when the client left before the stream opened", async () => {
    let clientLeft!: () => void;
    const left = new Promise<void>((resolve) => (clientLeft = resolve));
    let cleanedUp!: () => void;
    const cleaned = new Promise<string>(
      (resolve) =>
        (cleanedUp = () => {
          resolve("cleaned");
        }),
    );
    const openStream = eventStreams(app, 10);
    app.get("/slow", async (req, reply) => {
      req.raw.socket.once("close", clientLeft);
      await left; // a slow load, during which the client gives up
      const stream = openStream(reply);
      stream.onClose(cleanedUp);
      stream.send("nobody listens");
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    const client = request({ port, path: "/slow" });
    client.on("error", () => undefined);
    client.end();
    setTimeout(() => client.destroy(), 50);
    const timeout = new Promise<string>((resolve) =>
      setTimeout(() => {
        resolve("leaked");
      }, 2000),
    );
    expect(await Promise.race([cleaned, timeout])).toBe("cleaned");
  });
});
