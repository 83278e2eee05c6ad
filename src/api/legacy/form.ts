// The multipart form of the legacy POST /generate: FramePack-FastAPI's field names
// and defaults, parsed the way FastAPI parses Form fields (an empty value takes the
// default, the last of repeated fields wins), then checked against the same limits
// as POST /api/generate-video, with FastAPI's 422 list on a bad field.
import { finished } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { Ajv, type ErrorObject } from "ajv";
import { Type } from "typebox";
import { defaultsOf, withDefaults } from "../../contract/defaults.js";
import {
  GenerateVideoRequest,
  LORA_SCALE_DEFAULT,
  type VideoRequest,
} from "../../contract/requests.js";
import { isEncodable } from "../text.js";
import {
  LegacyHttpError,
  legacyFieldName,
  LegacyValidationError,
  type FastApiIssue,
} from "./errors.js";

const VIDEO_DEFAULTS = defaultsOf(GenerateVideoRequest);

/**
 * The form's defaults, as FramePack-FastAPI's generate_video declares them: those of the
 * JSON twin's schema (the same values; test/legacy.test.ts pins them to the original's),
 * and the form's own fields.
 */
export const LEGACY_DEFAULTS = {
  prompt: "A character doing some simple body movements.",
  video_length: VIDEO_DEFAULTS.video_length,
  seed: VIDEO_DEFAULTS.seed,
  use_teacache: VIDEO_DEFAULTS.use_teacache,
  gpu_memory_preservation: VIDEO_DEFAULTS.gpu_memory_preservation,
  steps: VIDEO_DEFAULTS.steps,
  cfg: VIDEO_DEFAULTS.cfg,
  gs: VIDEO_DEFAULTS.gs,
  rs: VIDEO_DEFAULTS.rs,
  mp4_crf: VIDEO_DEFAULTS.mp4_crf,
  lora_scale: LORA_SCALE_DEFAULT,
  lora_path: null,
  sampling_mode: VIDEO_DEFAULTS.sampling_mode,
};

type FieldKind = "string" | "int" | "float" | "bool" | "sampling_mode";

/**
 * Form fields: the original's, plus `width` and `height` (an additive extension, absent
 * = the start image's 640 bucket as in the original; given together, snapped to 16).
 */
const FIELD_KINDS: Record<LegacyFieldName, FieldKind> = {
  prompt: "string",
  video_length: "float",
  seed: "int",
  use_teacache: "bool",
  gpu_memory_preservation: "float",
  steps: "int",
  cfg: "float",
  gs: "float",
  rs: "float",
  mp4_crf: "float",
  lora_scale: "float",
  lora_path: "string",
  sampling_mode: "sampling_mode",
  width: "int",
  height: "int",
};

type LegacyFieldName = keyof typeof LEGACY_DEFAULTS | "width" | "height";
type ParsedValue = string | number | boolean | null;

export interface LegacyUpload {
  /** The request for the shared queue, defaults applied; the image travels as bytes. */
  request: VideoRequest;
  image: Buffer;
}

const TRUE_WORDS = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE_WORDS = new Set(["0", "off", "f", "false", "n", "no"]);
const INTEGER = /^\s*[-+]?\d+\s*$/;
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const SAMPLING_MODES = ["reverse", "forward"];

function isLegacyField(name: string): name is LegacyFieldName {
  return Object.hasOwn(FIELD_KINDS, name);
}

/** One form value as pydantic v2 converts it, or the issue it reports. */
function parseValue(name: string, kind: FieldKind, raw: string): ParsedValue | FastApiIssue {
  const loc = ["body", name];
  if (!isEncodable(raw)) {
    // A part sent as UTF-16 (`charset=utf-16le`) may hold a lone surrogate, which no
    // tokenizer can read; pydantic refuses such text alike.
    return {
      type: "string_unicode",
      loc,
      msg: "Input should be a valid string, unable to parse raw data as a unicode string",
      input: raw,
    };
  }
  switch (kind) {
    case "string":
      return raw;
    case "int":
      return INTEGER.test(raw)
        ? Number(raw)
        : {
            type: "int_parsing",
            loc,
            msg: "Input should be a valid integer, unable to parse string as an integer",
            input: raw,
          };
    case "float":
      return DECIMAL.test(raw)
        ? Number(raw)
        : {
            type: "float_parsing",
            loc,
            msg: "Input should be a valid number, unable to parse string as a number",
            input: raw,
          };
    case "bool": {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return {
        type: "bool_parsing",
        loc,
        msg: "Input should be a valid boolean, unable to interpret input",
        input: raw,
      };
    }
    case "sampling_mode":
      return SAMPLING_MODES.includes(raw)
        ? raw
        : {
            type: "enum",
            loc,
            msg: "Input should be 'reverse' or 'forward'",
            input: raw,
            ctx: { expected: "'reverse' or 'forward'" },
          };
  }
}

function isIssue(value: ParsedValue | FastApiIssue): value is FastApiIssue {
  return typeof value === "object" && value !== null;
}

/** Reads every part; file parts other than `image` are drained and ignored, as FastAPI does. */
async function readParts(request: FastifyRequest) {
  const fields = new Map<string, string>();
  let image: Buffer | undefined;
  let imageAsText: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === "file" && part.fieldname === "image") {
        image = await part.toBuffer();
      } else if (part.type === "file") {
        await finished(part.file.resume()); // drained unread: only the image is kept in memory
      } else if (part.fieldname === "image") {
        imageAsText = String(part.value);
      } else {
        fields.set(part.fieldname, String(part.value));
      }
    }
  } catch (error) {
    // Limits (413) carry their status; the parser's own errors (no boundary, a cut
    // body) are the client's malformed request, not a server failure.
    if ((error as { statusCode?: number }).statusCode !== undefined) throw error;
    throw new LegacyHttpError(
      400,
      `The multipart body could not be read: ${(error as Error).message}`,
    );
  }
  return { fields, image, imageAsText };
}

// Same limits as the JSON twin; the image is checked when it is decoded.
const validateVideoFields = new Ajv({ allErrors: true, strict: false }).compile(
  Type.Omit(GenerateVideoRequest, ["image"]),
);

const LIMIT_ISSUES: Record<string, { type: string; text: string; ctx: string }> = {
  minimum: { type: "greater_than_equal", text: "greater than or equal to", ctx: "ge" },
  maximum: { type: "less_than_equal", text: "less than or equal to", ctx: "le" },
  exclusiveMinimum: { type: "greater_than", text: "greater than", ctx: "gt" },
  exclusiveMaximum: { type: "less_than", text: "less than", ctx: "lt" },
};

function limitIssue(error: ErrorObject, form: Record<string, ParsedValue>): FastApiIssue {
  const field = legacyFieldName(error.instancePath.split("/")[1] ?? "body");
  const loc = ["body", field];
  const input = form[field] ?? null;
  const limit = (error.params as { limit?: number }).limit;
  const known = LIMIT_ISSUES[error.keyword];
  if (known && limit !== undefined) {
    return {
      type: known.type,
      loc,
      msg: `Input should be ${known.text} ${limit}`,
      input,
      ctx: { [known.ctx]: limit },
    };
  }
  if (error.keyword === "maxLength" && limit !== undefined) {
    return {
      type: "string_too_long",
      loc,
      msg: `String should have at most ${limit} characters`,
      input,
      ctx: { max_length: limit },
    };
  }
  return { type: "value_error", loc, msg: `Value error, ${error.message ?? "invalid"}`, input };
}

/** The legacy form -> the JSON API's video fields (lora_path/lora_scale become lists). */
function toVideoFields(form: Record<string, ParsedValue>): Omit<GenerateVideoRequest, "image"> {
  const loraPath = form.lora_path as string | null;
  return {
    prompt: form.prompt as string,
    video_length: form.video_length as number,
    seed: form.seed as number,
    use_teacache: form.use_teacache as boolean,
    gpu_memory_preservation: form.gpu_memory_preservation as number,
    steps: form.steps as number,
    cfg: form.cfg as number,
    gs: form.gs as number,
    rs: form.rs as number,
    // The engine writes whole CRF values; the original accepted a float.
    mp4_crf: Math.round(form.mp4_crf as number),
    sampling_mode: form.sampling_mode as "reverse" | "forward",
    lora_paths: loraPath ? [loraPath] : null,
    lora_scales: loraPath ? [form.lora_scale as number] : null,
    ...(typeof form.width === "number" ? { width: form.width } : {}),
    ...(typeof form.height === "number" ? { height: form.height } : {}),
  };
}

/** Parses and checks the /generate form; throws LegacyValidationError with every bad field. */
export async function readGenerateForm(request: FastifyRequest): Promise<LegacyUpload> {
  const { fields: parts, image, imageAsText } = await readParts(request);
  const issues: FastApiIssue[] = [];
  const form: Record<string, ParsedValue> = { ...LEGACY_DEFAULTS };
  for (const [name, raw] of parts) {
    if (!isLegacyField(name) || raw === "") continue; // "" keeps the default, as in FastAPI
    const value = parseValue(name, FIELD_KINDS[name], raw);
    if (isIssue(value)) issues.push(value);
    else form[name] = value;
  }
  if (image === undefined) {
    issues.push(
      imageAsText === undefined
        ? { type: "missing", loc: ["body", "image"], msg: "Field required", input: null }
        : {
            type: "value_error",
            loc: ["body", "image"],
            msg: "Value error, Expected UploadFile, received: <class 'str'>",
            input: imageAsText,
            ctx: { error: {} },
          },
    );
  }
  const fields = toVideoFields(form);
  if (issues.length === 0 && !validateVideoFields(fields)) {
    for (const error of validateVideoFields.errors ?? []) issues.push(limitIssue(error, form));
  }
  if (issues.length > 0 || image === undefined) throw new LegacyValidationError(issues);
  // The upload goes to createVideo as bytes; the request's base64 field is never read.
  return { request: withDefaults(GenerateVideoRequest, { image: "", ...fields }), image };
}
