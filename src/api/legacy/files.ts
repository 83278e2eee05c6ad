// Files as Starlette's FileResponse sends them: an attachment name, a length, and
// single byte ranges, so a <video> element can seek in a legacy video_url.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface DownloadFile {
  path: string;
  contentType: string;
  /** The name in Content-Disposition. */
  fileName: string;
}

/** Size of a regular file, or undefined when there is none at the path. */
export async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => (info.isFile() ? info.size : undefined),
    () => undefined,
  );
}

type ByteRange = { start: number; end: number } | "unsatisfiable" | undefined;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; anything else is answered whole. */
function byteRange(header: string | undefined, size: number): ByteRange {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, first = "", last = ""] = match;
  const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start > end || start >= size) return "unsatisfiable";
  return { start, end };
}

export function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: DownloadFile,
  size: number,
): FastifyReply {
  void reply
    .header("content-type", file.contentType)
    .header("content-disposition", `attachment; filename="${file.fileName}"`)
    .header("accept-ranges", "bytes");
  const range = byteRange(request.headers.range, size);
  if (range === "unsatisfiable") {
    return reply.status(416).header("content-range", `bytes */${size}`).send();
  }
  if (range === undefined) {
    return reply.header("content-length", String(size)).send(createReadStream(file.path));
  }
  return reply
    .status(206)
    .header("content-range", `bytes ${range.start}-${range.end}/${size}`)
    .header("content-length", String(range.end - range.start + 1))
    .send(createReadStream(file.path, { start: range.start, end: range.end }));
}
