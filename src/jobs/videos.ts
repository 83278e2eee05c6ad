// Videos arriving in requests (`continue_video`, docs/api.md §2): a base64 MP4, checked
// from its boxes before it is stored: an ISO BMFF file with a video track of at least 4
// frames, within the byte, pixel and frame limits. Node has no video decoder; decoding is
// the engine's (PyAV), and a file that passes here but does not decode fails its job
// naming `plan.continuation.video_path`.
import { invalidField } from "../contract/errors.js";
import { LIMITS } from "../contract/requests.js";
import { base64Bytes, type ImageLimits } from "./images.js";

const DATA_URI = /^data:video\/[a-z0-9.+-]+;base64,/i;
/** Four frames make one latent, the least a continuation needs (docs/framepack.md §7.10). */
const MIN_FRAMES = 4;

export interface VideoFacts {
  width: number;
  height: number;
  frames: number;
}

/** A box's payload: bytes [start, end) after its header. */
interface Box {
  type: string;
  start: number;
  end: number;
}

/** The boxes inside [start, end); a torn box ends the walk. */
function* boxes(bytes: Buffer, start: number, end: number): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    const size32 = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const header = size32 === 1 ? 16 : 8;
    if (at + header > end) return;
    const size =
      size32 === 1 ? Number(bytes.readBigUInt64BE(at + 8)) : size32 === 0 ? end - at : size32;
    if (size < header || at + size > end) return;
    yield { type, start: at + header, end: at + size };
    at += size;
  }
}

/** The first box down a path of types, e.g. ["mdia", "minf", "stbl", "stsz"]. */
function descend(bytes: Buffer, parent: Box, types: readonly string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of types) {
    if (!box) return undefined;
    const inside: Box = box;
    box = [...boxes(bytes, inside.start, inside.end)].find((found) => found.type === type);
  }
  return box;
}

/** The size (tkhd, 16.16 fixed point) and sample count (stsz) of a video track. */
function trackFacts(bytes: Buffer, trak: Box): VideoFacts | undefined {
  const hdlr = descend(bytes, trak, ["mdia", "hdlr"]);
  // hdlr: version and flags (4), pre_defined (4), then the handler type.
  if (!hdlr || hdlr.end - hdlr.start < 12) return undefined;
  if (bytes.toString("latin1", hdlr.start + 8, hdlr.start + 12) !== "vide") return undefined;
  const tkhd = descend(bytes, trak, ["tkhd"]);
  const stsz = descend(bytes, trak, ["mdia", "minf", "stbl", "stsz"]);
  if (!tkhd || !stsz || stsz.end - stsz.start < 12) return undefined;
  // tkhd: width and height are its last 8 bytes (versions 0 and 1 alike).
  if (tkhd.end - tkhd.start < 84) return undefined;
  return {
    width: bytes.readUInt32BE(tkhd.end - 8) >>> 16,
    height: bytes.readUInt32BE(tkhd.end - 4) >>> 16,
    // stsz: version and flags (4), sample_size (4), sample_count (4).
    frames: bytes.readUInt32BE(stsz.start + 8),
  };
}

/** The first video track's facts, or a reason the bytes are not an MP4 with one. */
export function mp4Facts(bytes: Buffer): VideoFacts | string {
  const top = [...boxes(bytes, 0, bytes.length)];
  if (top[0]?.type !== "ftyp") return "is not an MP4 (no ftyp box at its start)";
  const moov = top.find((box) => box.type === "moov");
  if (!moov) return "is not a whole MP4 (no moov box)";
  for (const trak of boxes(bytes, moov.start, moov.end)) {
    if (trak.type !== "trak") continue;
    const facts = trackFacts(bytes, trak);
    if (facts) return facts;
  }
  return "has no video track with a sample table";
}

/** `continue_video`: base64 or a data URI -> the MP4's bytes and facts; a 422 names the field. */
export function decodeBase64Video(
  field: string,
  text: string,
  limits: ImageLimits,
): { bytes: Buffer; facts: VideoFacts } {
  const bytes = base64Bytes(text, DATA_URI);
  if (!bytes) throw invalidField(field, "is not valid base64 or a data URI");
  if (bytes.length > limits.maxBytes) {
    throw invalidField(field, `${bytes.length} bytes, at most ${limits.maxBytes}`);
  }
  const facts = mp4Facts(bytes);
  if (typeof facts === "string") throw invalidField(field, facts);
  const { width, height, frames } = facts;
  if (width * height > limits.maxPixels || width === 0 || height === 0) {
    throw invalidField(field, `${width}x${height} pixels, at most ${limits.maxPixels}`);
  }
  if (frames < MIN_FRAMES || frames > LIMITS.maxContinueFrames) {
    throw invalidField(
      field,
      `has ${frames} frames; from ${MIN_FRAMES} to ${LIMITS.maxContinueFrames} are accepted`,
    );
  }
  return { bytes, facts };
}
