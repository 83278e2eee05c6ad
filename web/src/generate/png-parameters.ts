// Generation parameters inside a PNG, read in the browser: the text chunks (tEXt, iTXt,
// zTXt) and the A1111-style `parameters` text our engine writes (docs/framepack.md §15:
// prompt, a "Negative prompt:" line, then "Key: value" pairs) and other tools write too,
// turned into the values of a form. No imports and no DOM: the unit test runs it in Node.

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** The text chunks of a PNG by keyword; empty for bytes that are no PNG. */
export async function pngTextChunks(bytes: Uint8Array): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  if (!SIGNATURE.every((value, index) => bytes[index] === value)) return texts;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder("latin1");
  const utf8 = new TextDecoder();
  for (let offset = 8; offset + 12 <= bytes.length;) {
    const length = view.getUint32(offset);
    const type = latin1.decode(bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, Math.min(offset + 8 + length, bytes.length));
    offset += 12 + length;
    if (type === "IEND") break;
    const keywordEnd = data.indexOf(0);
    if (keywordEnd < 0) continue;
    const keyword = latin1.decode(data.subarray(0, keywordEnd));
    if (type === "tEXt") {
      texts.set(keyword, latin1.decode(data.subarray(keywordEnd + 1)));
    } else if (type === "zTXt") {
      texts.set(keyword, latin1.decode(await inflate(data.subarray(keywordEnd + 2))));
    } else if (type === "iTXt") {
      // keyword 0 compressed method language 0 translated-keyword 0 text
      const compressed = data[keywordEnd + 1] === 1;
      const languageEnd = data.indexOf(0, keywordEnd + 3);
      const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
      if (translatedEnd < 0) continue;
      const text = data.subarray(translatedEnd + 1);
      texts.set(keyword, utf8.decode(compressed ? await inflate(text) : text));
    }
  }
  return texts;
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export interface GenerationParameters {
  prompt: string;
  negativePrompt: string;
  /** The "Key: value" pairs, keys as written. */
  settings: Map<string, string>;
}

const NEGATIVE = "Negative prompt:";
/** A pair's start: a key of words (A1111 writes "CFG scale", "Model hash", "Size-1"). */
const KEY = /^[A-Za-z][\w ()/-]*: /;

/** The `parameters` text split into prompt, negative prompt and settings. */
export function parseParameters(text: string): GenerationParameters {
  const lines = text.replace(/\r\n?/g, "\n").trimEnd().split("\n");
  const last = lines.at(-1) ?? "";
  const hasSettings = lines.length > 1 && KEY.test(last) && !last.startsWith(NEGATIVE);
  const settings = hasSettings ? settingsOf(last) : new Map<string, string>();
  const body = hasSettings ? lines.slice(0, -1) : lines;
  const negativeAt = body.findIndex((line) => line.startsWith(NEGATIVE));
  const promptLines = negativeAt < 0 ? body : body.slice(0, negativeAt);
  const negativeLines = negativeAt < 0 ? [] : body.slice(negativeAt);
  return {
    prompt: promptLines.join("\n").trim(),
    negativePrompt: negativeLines.join("\n").slice(NEGATIVE.length).trim(),
    settings,
  };
}

/**
 * "Key: value, Key: value" into its pairs. A comma starts a new pair only outside quotes
 * and before another "Key: " (so "LoRAs: a.safetensors:1, b.safetensors:0.5" stays one).
 */
function settingsOf(line: string): Map<string, string> {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (character === "\\" && quoted) index++;
    else if (character === '"') quoted = !quoted;
    else if (character === "," && !quoted && KEY.test(line.slice(index + 1).trimStart())) {
      parts.push(line.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(line.slice(start));
  const pairs = new Map<string, string>();
  for (const part of parts) {
    const split = part.indexOf(": ");
    if (split < 0) continue;
    const value = part.slice(split + 2).trim();
    const unquoted = /^".*"$/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
    pairs.set(part.slice(0, split).trim(), unquoted);
  }
  return pairs;
}

/** Each form field and the keys that carry it (ours first, then other tools' names). */
const FIELD_KEYS: Record<string, readonly string[]> = {
  steps: ["Steps"],
  cfg: ["CFG", "CFG scale"],
  gs: ["GS", "Distilled CFG Scale"],
  rs: ["RS"],
  latent_window_size: ["Latent window size"],
  target_index: ["Target index"],
  control_index: ["Control index"],
  transfer_strength: ["Transfer strength"],
  video_length: ["Seconds"],
  end_frame_strength: ["End frame strength"],
  prompt_blend_sections: ["Prompt blend sections"],
};
const BOOLEAN_KEYS: Record<string, string> = {
  no_2x: "No 2x",
  no_4x: "No 4x",
  no_post: "No post",
  loop: "Loop",
};

/** A LoRA and its scale as the form holds them (form-state.ts's LoraChoice). */
interface LoraValue {
  name: string;
  scale: string;
}

export interface FormFill {
  values: Record<string, string | boolean>;
  /** Only when the parameters name LoRAs (ours: "LoRAs: file:scale, …" or "none"). */
  loras?: LoraValue[];
}

/** The values a form with the fields `names` takes from the parameters (only those). */
export function formFill(names: ReadonlySet<string>, parameters: GenerationParameters): FormFill {
  const { settings } = parameters;
  const found: Record<string, string | boolean> = {};
  if (parameters.prompt) {
    found.prompt = parameters.prompt;
    found.prompts = parameters.prompt;
  }
  if (settings.size > 0 || parameters.negativePrompt)
    found.negative_prompt = parameters.negativePrompt;
  const seed = settings.get("Seed");
  if (seed !== undefined && /^\d+$/.test(seed)) {
    found.seed = seed;
    found.seeds = seed;
  }
  for (const [field, keys] of Object.entries(FIELD_KEYS)) {
    const value = keys.map((key) => settings.get(key)).find((each) => each !== undefined);
    if (value !== undefined && Number.isFinite(Number(value))) found[field] = value;
  }
  for (const [field, key] of Object.entries(BOOLEAN_KEYS)) {
    const value = settings.get(key)?.toLowerCase();
    if (value === "true" || value === "yes") found[field] = true;
    else if (value === "false" || value === "no") found[field] = false;
  }
  const size = /^(\d+)x(\d+)$/.exec(settings.get("Size") ?? "");
  if (size) [, found.width = "", found.height = ""] = size;
  const shift = settings.get("Shift");
  if (shift === "dynamic") found.shift = "";
  else if (shift !== undefined && Number.isFinite(Number(shift))) found.shift = shift;
  const model = settings.get("Model") ?? "";
  if (/framepack/i.test(model)) found.transformer = /f1/i.test(model) ? "f1" : "base";
  const mode = settings.get("Sampling mode");
  if (mode === "reverse" || mode === "forward") found.sampling_mode = mode;
  const teacache = settings.get("TeaCache");
  if (teacache !== undefined) found.use_teacache = teacache !== "off";

  const values = Object.fromEntries(Object.entries(found).filter(([name]) => names.has(name)));
  const loras = lorasOf(settings.get("LoRAs"));
  return loras === undefined ? { values } : { values, loras };
}

function lorasOf(text: string | undefined): LoraValue[] | undefined {
  if (text === undefined) return undefined;
  if (text === "none") return [];
  return text.split(/,\s*/).flatMap((entry) => {
    const split = entry.lastIndexOf(":");
    const name = split < 0 ? entry : entry.slice(0, split);
    const scale = split < 0 ? "1" : entry.slice(split + 1);
    return name ? [{ name, scale }] : [];
  });
}

/** The form values in a PNG's `parameters`, or undefined when it has none. */
export async function formFillFromPng(
  names: ReadonlySet<string>,
  bytes: Uint8Array,
): Promise<FormFill | undefined> {
  const text = (await pngTextChunks(bytes)).get("parameters");
  return text === undefined ? undefined : formFill(names, parseParameters(text));
}
