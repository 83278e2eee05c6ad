// Request fields as command-line flags: one table saying how each API field (docs/api.md §2)
// is spelled on the command line and parsed, so every generation command spells a field
// the same way, and only the flags a user gave are sent (the server fills the defaults).
import { InvalidArgumentError, Option, type Command } from "commander";
import { collect, integer, integerList, lora, number, type LoraChoice } from "./values.js";

export type RequestBody = Record<string, unknown>;

interface RequestFlag {
  option: Option;
  /** Adds the flag's value (as commander stored it) to the request body. */
  apply: (value: unknown, body: RequestBody) => void;
}

function flag(flags: string, description: string, field: string, parse?: (raw: string) => unknown) {
  const option = new Option(flags, description);
  if (parse) option.argParser(parse);
  return { option, apply: (value: unknown, body: RequestBody) => (body[field] = value) };
}

/** `--no-x`: commander stores false when given (true otherwise); sends `sent` then. */
function negation(flags: string, description: string, field: string, sent: boolean): RequestFlag {
  return {
    option: new Option(flags, description),
    apply: (value, body) => {
      if (value === false) body[field] = sent;
    },
  };
}

function choice(flags: string, description: string, field: string, choices: string[]) {
  const entry = flag(flags, description, field);
  entry.option.choices(choices);
  return entry;
}

const loras: RequestFlag = {
  option: new Option(
    "--lora <name[:scale]>",
    "a LoRA from the service's LoRA folder, scale 1.0 unless given; repeatable",
  ).argParser(collect(lora)),
  apply: (value, body) => {
    const chosen = value as LoraChoice[];
    body.lora_paths = chosen.map((entry) => entry.name);
    body.lora_scales = chosen.map((entry) => entry.scale);
  },
};

/** "SECONDS=TEXT" -> a section prompt (the text after the first "="). */
export function sectionPrompt(raw: string): { start: number; prompt: string } {
  const equals = raw.indexOf("=");
  if (equals <= 0 || equals === raw.length - 1) {
    throw new InvalidArgumentError("expected SECONDS=TEXT, e.g. 2.5=she turns around.");
  }
  return { start: number(raw.slice(0, equals)), prompt: raw.slice(equals + 1) };
}

const sectionPrompts: RequestFlag = {
  option: new Option(
    "--section-prompt <seconds=text>",
    "the prompt from this second of the video on; repeatable",
  ).argParser(collect(sectionPrompt)),
  apply: (value, body) => {
    const entries = value as { start: number; prompt: string }[];
    body.section_prompts = [...entries].sort((a, b) => a.start - b.start);
  },
};

/** A switch that sends `true` when given. */
function enable(flags: string, description: string, field: string): RequestFlag {
  return {
    option: new Option(flags, description),
    apply: (value, body) => {
      if (value === true) body[field] = true;
    },
  };
}

export const FLAGS = {
  negativePrompt: flag("--negative-prompt <text>", "used when --cfg > 1", "negative_prompt"),
  seed: flag("--seed <n>", "-1 = random (the seed used is reported)", "seed", integer),
  steps: flag("--steps <n>", "sampling steps", "steps", integer),
  cfg: flag("--cfg <x>", "real CFG; 1 skips the negative prompt", "cfg", number),
  gs: flag("--gs <x>", "distilled guidance", "gs", number),
  rs: flag("--rs <x>", "CFG rescale", "rs", number),
  width: flag("--width <px>", "width, a multiple of 16", "width", integer),
  height: flag("--height <px>", "height, a multiple of 16", "height", integer),
  priority: flag("--priority <n>", "-10..10, higher runs earlier", "priority", integer),
  loras,
  shift: flag("--shift <x>", "time shift (default: dynamic)", "shift", number),
  transformer: choice("--transformer <name>", "transformer", "transformer", ["base", "f1"]),
  latentWindowSize: flag(
    "--latent-window-size <n>",
    "latent window size",
    "latent_window_size",
    integer,
  ),
  targetIndex: flag("--target-index <n>", "RoPE target index", "target_index", integer),
  no2x: negation("--no-2x", "drop the 2x clean latents", "no_2x", true),
  no4x: negation("--no-4x", "drop the 4x clean latents", "no_4x", true),
  noPost: negation("--no-post", "drop the post latent", "no_post", true),
  batchSize: flag("--batch-size <n>", "images per forward pass (1..8)", "batch_size", integer),
  seeds: flag("--seeds <list>", "one seed per prompt, comma-separated", "seeds", integerList),
  targetIndices: flag(
    "--target-indices <list>",
    "RoPE sweep: render at each target index, comma-separated",
    "target_indices",
    integerList,
  ),
  latentWindowSizes: flag(
    "--latent-window-sizes <list>",
    "RoPE sweep: render at each window size, comma-separated",
    "latent_window_sizes",
    integerList,
  ),
  transferStrength: flag(
    "--transfer-strength <x>",
    "0..1, scales the source latent",
    "transfer_strength",
    number,
  ),
  controlIndex: flag("--control-index <n>", "control index", "control_index", integer),
  videoLength: flag("--video-length <seconds>", "video length in seconds", "video_length", number),
  samplingMode: choice(
    "--sampling-mode <mode>",
    "reverse = base model, forward = F1",
    "sampling_mode",
    ["reverse", "forward"],
  ),
  cache: choice("--cache <kind>", "step cache (faster, slightly different)", "cache", [
    "teacache",
    "magcache",
    "none",
  ]),
  noTeacache: negation("--no-teacache", "sample without a step cache", "use_teacache", false),
  mp4Crf: flag("--mp4-crf <n>", "MP4 quality, 0..51 (lower is better)", "mp4_crf", integer),
  gpuMemoryPreservation: flag(
    "--gpu-memory-preservation <gb>",
    "GPU memory kept free, GB",
    "gpu_memory_preservation",
    number,
  ),
  endStrength: flag(
    "--end-strength <x>",
    "0..1, scales the end image (lower: freer motion)",
    "end_frame_strength",
    number,
  ),
  loop: enable("--loop", "end on the start image (base model)", "loop"),
  sectionPrompts,
  promptBlendSections: flag(
    "--prompt-blend-sections <n>",
    "sections blending into each new section prompt",
    "prompt_blend_sections",
    integer,
  ),
  count: flag("--count <n>", "images of the one prompt, one seed each (1..64)", "count", integer),
} satisfies Record<string, RequestFlag>;

/** Flags every generation command has. */
export const SAMPLING_FLAGS = [
  FLAGS.negativePrompt,
  FLAGS.steps,
  FLAGS.cfg,
  FLAGS.gs,
  FLAGS.rs,
  FLAGS.width,
  FLAGS.height,
  FLAGS.priority,
  FLAGS.loras,
];

/** The one-frame knobs of images and batches. */
export const ONE_FRAME_FLAGS = [
  FLAGS.shift,
  FLAGS.transformer,
  FLAGS.latentWindowSize,
  FLAGS.targetIndex,
  FLAGS.no2x,
  FLAGS.no4x,
  FLAGS.noPost,
];

/** Adds the flags to a command; returns a function reading them back as a request body. */
export function addRequestFlags(command: Command, flags: readonly RequestFlag[]) {
  for (const entry of flags) command.addOption(entry.option);
  return (options: Record<string, unknown>): RequestBody => {
    const body: RequestBody = {};
    for (const entry of flags) {
      const value = options[entry.option.attributeName()];
      if (value !== undefined) entry.apply(value, body);
    }
    return body;
  };
}
