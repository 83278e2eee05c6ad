// The studio's PNG metadata reader (web/src/generate/png-parameters.ts): text chunks of
// every kind (tEXt, iTXt plain and compressed, zTXt), our engine's `parameters` layout
// (docs/framepack.md §15) and A1111's, and which form fields they fill.
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  formFill,
  formFillFromPng,
  parseParameters,
  pngTextChunks,
} from "../web/src/generate/png-parameters.js";

/** The field names of two of the studio's forms (web/src/generate/fields.ts). */
const IMAGE_FORM = new Set(
  "prompt negative_prompt seed steps cfg width height gs rs shift latent_window_size target_index no_2x no_4x no_post transformer priority".split(
    " ",
  ),
);
const BATCH_FORM = new Set(
  "prompts negative_prompt seeds count batch_size steps cfg width height gs rs shift latent_window_size target_index no_2x no_4x no_post transformer priority".split(
    " ",
  ),
);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
}

/** A PNG's chunk sequence (no pixels: the reader needs none), CRCs left zero. */
function png(...chunks: Buffer[]): Uint8Array {
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return new Uint8Array(Buffer.concat([signature, ...chunks, chunk("IEND", Buffer.alloc(0))]));
}

const nul = Buffer.from([0]);
const tEXt = (key: string, text: string) =>
  chunk("tEXt", Buffer.concat([Buffer.from(key, "latin1"), nul, Buffer.from(text, "latin1")]));
const iTXt = (key: string, text: string, compressed: boolean) =>
  chunk(
    "iTXt",
    Buffer.concat([
      Buffer.from(key, "latin1"),
      nul,
      Buffer.from([compressed ? 1 : 0, 0]),
      Buffer.from("ja", "latin1"),
      nul,
      nul,
      compressed ? deflateSync(Buffer.from(text)) : Buffer.from(text),
    ]),
  );
const zTXt = (key: string, text: string) =>
  chunk(
    "zTXt",
    Buffer.concat([Buffer.from(key, "latin1"), nul, nul, deflateSync(Buffer.from(text, "latin1"))]),
  );

/** What the engine writes for a one-frame image (outputs.py format_parameters). */
const OURS = [
  "a lighthouse, at dusk",
  "Negative prompt: blurry",
  "Seed: 1234, Steps: 3, CFG: 1.0, GS: 10.0, RS: 0.0, Shift: dynamic, Size: 128x96, " +
    "Model: lllyasviel/FramePack_F1_I2V_HY_20250503, LoRAs: style.safetensors:0.5, b.safetensors:1.0, " +
    "Latent window size: 9, Target index: 1, No 2x: False, No 4x: True, No post: False",
].join("\n");

const A1111 = [
  "masterpiece, a cat",
  "on two lines",
  "Negative prompt: lowres, bad hands",
  'Steps: 20, Sampler: DPM++ 2M, CFG scale: 7, Seed: 42, Size: 512x768, Model hash: abc, Lora hashes: "x: 1a2b, y: 3c4d", Version: v1.9',
].join("\n");

describe("pngTextChunks", () => {
  it("reads tEXt, iTXt (plain and compressed) and zTXt; no PNG gives none", async () => {
    const texts = await pngTextChunks(
      png(
        tEXt("parameters", OURS),
        iTXt("Comment", "日本語のプロンプト", false),
        iTXt("Packed", "いろは", true),
        zTXt("Software", "somewhere"),
      ),
    );
    expect(Object.fromEntries(texts)).toEqual({
      parameters: OURS,
      Comment: "日本語のプロンプト",
      Packed: "いろは",
      Software: "somewhere",
    });
    expect((await pngTextChunks(new TextEncoder().encode("GIF89a..."))).size).toBe(0);
  });
});

describe("parseParameters", () => {
  it("splits ours into prompt, negative prompt and pairs, keeping a LoRA list whole", () => {
    const parsed = parseParameters(OURS);
    expect(parsed.prompt).toBe("a lighthouse, at dusk");
    expect(parsed.negativePrompt).toBe("blurry");
    expect(parsed.settings.get("LoRAs")).toBe("style.safetensors:0.5, b.safetensors:1.0");
    expect(parsed.settings.get("Latent window size")).toBe("9");
    expect(parsed.settings.get("No 4x")).toBe("True");
  });

  it("reads A1111's: a prompt of several lines, quoted values with commas", () => {
    const parsed = parseParameters(A1111);
    expect(parsed.prompt).toBe("masterpiece, a cat\non two lines");
    expect(parsed.negativePrompt).toBe("lowres, bad hands");
    expect(parsed.settings.get("Lora hashes")).toBe("x: 1a2b, y: 3c4d");
    expect(parsed.settings.get("CFG scale")).toBe("7");
    expect(parsed.settings.get("Version")).toBe("v1.9");
  });

  it("a prompt alone is a prompt", () => {
    expect(parseParameters("just words: here")).toEqual({
      prompt: "just words: here",
      negativePrompt: "",
      settings: new Map(),
    });
  });
});

describe("formFill", () => {
  it("fills an image form from ours: seed, steps, size, cfg, flags, model, LoRAs", () => {
    expect(formFill(IMAGE_FORM, parseParameters(OURS))).toEqual({
      values: {
        prompt: "a lighthouse, at dusk",
        negative_prompt: "blurry",
        seed: "1234",
        steps: "3",
        cfg: "1.0",
        gs: "10.0",
        rs: "0.0",
        latent_window_size: "9",
        target_index: "1",
        no_2x: false,
        no_4x: true,
        no_post: false,
        width: "128",
        height: "96",
        shift: "",
        transformer: "f1",
      },
      loras: [
        { name: "style.safetensors", scale: "0.5" },
        { name: "b.safetensors", scale: "1.0" },
      ],
    });
  });

  it("fills only the fields a form has: a batch gets prompts and seeds", async () => {
    const fill = await formFillFromPng(BATCH_FORM, png(tEXt("parameters", A1111)));
    expect(fill).toEqual({
      values: {
        prompts: "masterpiece, a cat\non two lines",
        negative_prompt: "lowres, bad hands",
        seeds: "42",
        steps: "20",
        cfg: "7",
        width: "512",
        height: "768",
      },
    });
    expect(
      await formFillFromPng(IMAGE_FORM, png(tEXt("Comment", "no parameters"))),
    ).toBeUndefined();
  });
});
