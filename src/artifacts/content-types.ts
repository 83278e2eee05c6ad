// The media type of a stored file by its extension: what the outputs route answers
// with and what an upload to object storage records.
import { extname } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".mp4": "video/mp4",
};

export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[extname(name)] ?? "application/octet-stream";
}
