// Large bodies are read a few at a time. Reading, parsing and decoding a body (images
// travel as base64 inside JSON) costs event-loop time and memory in proportion to its
// size: sixteen 18.5 MB submissions at once held /health for seconds and took the
// process to over a gigabyte. So at most MAX_LARGE_REQUESTS (src/config.ts) requests
// with a large body are in the server at once, from their headers until their answer
// is sent (memory is held while they upload too); beyond that a request is refused
// with 503 `server_busy` and a short Retry-After before a byte of its body is parsed.
// Small requests (text-only generation, reads, /health) are never held back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendRefusal } from "./errors.js";

/**
 * A body over this is large: a picture of about 750 KB (base64 adds a third). Requests
 * without pictures are a few KB.
 */
export const LARGE_BODY_BYTES = 1024 * 1024;

export interface LargeBodyLimit {
  thresholdBytes: number;
  maxConcurrent: number;
  /** Whether a URL is a legacy route's (answered in FastAPI's shape). */
  isLegacyPath: (url: string) => boolean;
}

/** Whether the request announces a body over the threshold, or one of unknown length. */
function hasLargeBody(request: FastifyRequest, thresholdBytes: number): boolean {
  const length = request.headers["content-length"];
  if (length !== undefined) return Number(length) > thresholdBytes;
  // Chunked: the length is known only once it has all been read.
  return request.headers["transfer-encoding"] !== undefined;
}

/** Installs the limit as an onRequest hook (after the key check: strangers are refused first). */
export function limitLargeBodies(app: FastifyInstance, limit: LargeBodyLimit): void {
  let inFlight = 0;
  app.addHook(
    "onRequest",
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      if (!hasLargeBody(request, limit.thresholdBytes)) return;
      if (inFlight >= limit.maxConcurrent) {
        request.log.warn({ inFlight }, "refused: too many large bodies at once");
        return sendRefusal(
          reply,
          "server_busy",
          "The server is reading as many large requests as it takes at once; retry shortly.",
          { path: limit.isLegacyPath(request.url) },
        );
      }
      inFlight += 1;
      // 'close' comes once for every response, sent whole or cut off.
      reply.raw.once("close", () => {
        inFlight -= 1;
      });
      return undefined;
    },
  );
}
