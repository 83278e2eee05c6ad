// The server's 4xx details -> a message per form field ("seeds[2]" belongs to seeds,
// "lora_scales[0]" to the LoRA stack); the rest is listed under the server's summary.
import type { FramePackError } from "../../../src/client/index";

export interface FormErrors {
  /** The server's sentence (it names every refused field), or why nothing was sent. */
  summary: string | undefined;
  byField: Record<string, string>;
  /** Details that belong to no field of the form. */
  general: string[];
}

export const NO_ERRORS: FormErrors = { summary: undefined, byField: {}, general: [] };

const FIELD_ALIASES: Record<string, string> = { lora_scales: "lora_paths" };

export function formErrors(error: FramePackError, known: ReadonlySet<string>): FormErrors {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const detail of error.details) {
    const base = detail.field.split(/[.[]/)[0] ?? "";
    const field = FIELD_ALIASES[base] ?? base;
    const message = detail.field === base ? detail.message : `${detail.field}: ${detail.message}`;
    if (known.has(field))
      byField[field] = byField[field] ? `${byField[field]}; ${message}` : message;
    else general.push(`${detail.field}: ${detail.message}`);
  }
  return { summary: error.message, byField, general };
}
