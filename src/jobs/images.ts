// Images arriving in requests: checked before decoding (bytes, format, pixel count, so
// a decompression bomb is refused from its header), EXIF orientation applied, and
// re-encoded as PNG, the only format the engine reads.
import sharp, { type Metadata } from "sharp";
import { RequestError } from "../contract/errors.js";

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBytes: 15 * 1024 * 1024,
  maxPixels: 40_000_000,
};

export interface DecodedImage {
  png: Buffer;
  width: number;
  height: number;
  hasAlpha: boolean;
}

const DATA_URI = /^data:image\/[a-z0-9.+-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const FORMATS = new Set(["png", "jpeg", "webp"]);

/** Base64 text, less a data URI's head matching `dataUri`, as bytes; undefined if malformed. */
export function base64Bytes(text: string, dataUri: RegExp): Buffer | undefined {
  const payload = text.replace(dataUri, "").replace(/\s+/g, "");
  if (payload.length === 0 || payload.length % 4 === 1 || !BASE64.test(payload)) return undefined;
  return Buffer.from(payload, "base64");
}

/** Base64 or a data URI -> bytes; a malformed string is a 400 naming the field. */
export function decodeBase64Image(field: string, text: string, limits: ImageLimits): Buffer {
  const bytes = base64Bytes(text, DATA_URI);
  if (!bytes) {
    throw new RequestError("invalid_image", `${field} is not valid base64 or a data URI`, [
      { field, message: "not valid base64" },
    ]);
  }
  checkBytes(field, bytes.length, limits);
  return bytes;
}

function checkBytes(field: string, size: number, limits: ImageLimits): void {
  if (size > limits.maxBytes) {
    throw new RequestError("image_too_large", `${field} is larger than ${limits.maxBytes} bytes`, [
      { field, message: `${size} bytes, at most ${limits.maxBytes}` },
    ]);
  }
}

export async function decodeImage(
  field: string,
  bytes: Buffer,
  limits: ImageLimits,
): Promise<DecodedImage> {
  checkBytes(field, bytes.length, limits);
  const header = await readHeader(field, bytes);
  if (header.width * header.height > limits.maxPixels) {
    throw new RequestError(
      "image_too_large",
      `${field} has ${header.width}x${header.height} pixels, more than ${limits.maxPixels}`,
      [{ field, message: `at most ${limits.maxPixels} pixels` }],
    );
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxPixels })
      .rotate() // EXIF orientation
      .png()
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height, hasAlpha: info.channels === 4 };
  } catch (error) {
    throw unreadable(field, error);
  }
}

async function readHeader(
  field: string,
  bytes: Buffer,
): Promise<{ width: number; height: number }> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(field, error);
  }
  const { format, width, height } = metadata;
  if (!FORMATS.has(format)) {
    throw new RequestError("unsupported_image", `${field} is ${format}; send PNG, JPEG or WebP`, [
      { field, message: `format ${format} is not supported` },
    ]);
  }
  return { width, height };
}

function unreadable(field: string, error: unknown): RequestError {
  const reason = error instanceof Error ? error.message : String(error);
  return new RequestError("invalid_image", `${field} could not be read as an image`, [
    { field, message: reason },
  ]);
}
