// What one job type's form holds, the request body built from it, and the reverse:
// a finished job's stored parameters turned back into a form ("use these settings").
import { LORA_SCALE_DEFAULT } from "../../../src/contract/requests";
import type { Job, JobKind, SubmitBodies } from "../api/types";
import { FORMS, type ColumnSpec, type FieldSpec } from "./fields";

export interface LoraChoice {
  name: string;
  /** As typed ("0.", "-" on the way to a number); a number once in the request. */
  scale: string;
}

/** One object of an "objects" field, as typed: its properties' texts (images as data URIs). */
export type ObjectRow = Record<string, string>;

/** A field's value as the form holds it: text, a switch, or the rows of a list of objects. */
export type FieldValue = string | boolean | ObjectRow[];

export interface FormState {
  values: Record<string, FieldValue>;
  /** Data URIs by request field (images and masks). */
  images: Record<string, string>;
  loras: LoraChoice[];
}

export function initialForm(kind: JobKind): FormState {
  const values: Record<string, FieldValue> = {};
  for (const field of FORMS[kind].fields) {
    values[field.name] = field.kind === "objects" ? [] : (field.initial ?? "");
  }
  return { values, images: {}, loras: [] };
}

/** A number when the text is one; else the text itself, so the server names the field. */
function numberOrText(text: string, integer: boolean): number | string {
  const value = Number(text);
  return Number.isFinite(value) && (!integer || Number.isInteger(value)) ? value : text;
}

/** The rows of an "objects" field as the API's objects; empty rows and empty properties left
 * out, numbers as numbers; no rows: absent. */
function objectsValue(columns: readonly ColumnSpec[], rows: ObjectRow[]): unknown {
  const objects = rows
    .map((row) => {
      const object: Record<string, unknown> = {};
      for (const { name, kind } of columns) {
        const text = (row[name] ?? "").trim();
        if (text === "") continue;
        object[name] =
          kind === "int" || kind === "number" ? numberOrText(text, kind === "int") : text;
      }
      return object;
    })
    .filter((object) => Object.keys(object).length > 0);
  return objects.length === 0 ? undefined : objects;
}

function fieldValue(field: FieldSpec, raw: FieldValue): unknown {
  if (Array.isArray(raw)) return objectsValue(field.columns ?? [], raw);
  if (field.kind === "bool") return raw === true;
  const text = String(raw).trim();
  switch (field.kind) {
    case "int":
    case "number":
      return text === "" ? undefined : numberOrText(text, field.kind === "int");
    case "lines":
      return text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
    case "intList": {
      // Empty parts (a comma at either end, or two in a row) are no numbers.
      const parts = text.split(/[\s,]+/).filter(Boolean);
      return parts.length === 0 ? undefined : parts.map((part) => numberOrText(part, true));
    }
    default:
      // Required texts go out even when empty: the server's message names them.
      return text === "" && field.name !== "prompt" ? undefined : String(raw);
  }
}

/**
 * The request for the API. Typed as the API's body, though a value the person typed wrong
 * goes out as written (text for a number): the server judges it and names the field.
 */
export function requestBody<Kind extends JobKind>(kind: Kind, form: FormState): SubmitBodies[Kind] {
  const body: Record<string, unknown> = {};
  for (const field of FORMS[kind].fields) {
    const value = fieldValue(field, form.values[field.name] ?? "");
    if (value !== undefined) body[field.name] = value;
  }
  Object.assign(body, form.images);
  if (form.loras.length > 0) {
    body.lora_paths = form.loras.map((lora) => lora.name);
    body.lora_scales = form.loras.map((lora) => numberOrText(lora.scale.trim(), false));
  }
  return body as SubmitBodies[Kind];
}

/** A recorded list of objects as rows; pictures are not recorded, so image cells start empty. */
function asRows(columns: readonly ColumnSpec[], value: unknown): ObjectRow[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: Record<string, unknown>) =>
    Object.fromEntries(
      columns.map(({ name, kind }) => {
        const cell = entry[name];
        const text = typeof cell === "string" || typeof cell === "number" ? String(cell) : "";
        return [name, kind === "image" && !text.startsWith("data:") ? "" : text];
      }),
    ),
  );
}

function asFormValue(field: FieldSpec, value: unknown): FieldValue {
  if (field.kind === "objects") return asRows(field.columns ?? [], value);
  if (field.kind === "bool") return value === true;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(field.kind === "lines" ? "\n" : ", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The seeds the job used, so a refilled form reproduces it exactly. */
export function usedSeeds(job: Job): Record<string, unknown> {
  if (job.type === "batch_image") {
    // One per prompt, from the items (every item has its seed, a failed one too; the result
    // lists finished outputs only). A RoPE sweep's items all share its one prompt's seed.
    const items = [...(job.batch_progress?.items ?? [])].sort((a, b) => a.index - b.index);
    const prompts = Array.isArray(job.data.prompts) ? job.data.prompts.length : 0;
    const seeds = items.slice(0, prompts).map((item) => item.seed);
    return seeds.length ? { seeds } : {};
  }
  const seed = job.result?.seeds[0];
  return seed === undefined ? {} : { seed };
}

/**
 * The Video form continuing a finished video job with F1 (docs/api.md §2): its id and
 * prompt, the rest at the defaults; no start image (the earlier video gives the anchor).
 */
export function continuationForm(job: Job): FormState {
  const form = initialForm("video");
  const prompt = typeof job.data.prompt === "string" ? job.data.prompt : "";
  form.values = { ...form.values, prompt, continue_from: job.id, sampling_mode: "forward" };
  return form;
}

/** A list's picture among a job's stored inputs: `<list>.<index>.<column>`. */
const LIST_PICTURE = /^(\w+)\.(\d+)\.(\w+)$/;

/**
 * The form with a job's stored pictures (data URIs by stored-input name): a field's as the
 * form's images, a list's in the cell of its row (the rows formFromJob made of the record).
 */
export function withPictures(form: FormState, pictures: Record<string, string>): FormState {
  const images: Record<string, string> = {};
  const values = { ...form.values };
  for (const [name, uri] of Object.entries(pictures)) {
    const [, list, position, column] = LIST_PICTURE.exec(name) ?? [];
    if (!list || !column) {
      images[name] = uri;
      continue;
    }
    const rows = values[list];
    const index = Number(position);
    if (!Array.isArray(rows) || !rows[index]) continue;
    values[list] = rows.map((row, at) => (at === index ? { ...row, [column]: uri } : row));
  }
  return { ...form, values, images };
}

export function formFromJob(job: Job): FormState {
  const data: Record<string, unknown> = { ...job.data, ...usedSeeds(job) };
  const form = initialForm(job.type);
  for (const field of FORMS[job.type].fields) {
    if (field.name in data) form.values[field.name] = asFormValue(field, data[field.name]);
  }
  const paths = Array.isArray(data.lora_paths) ? (data.lora_paths as string[]) : [];
  const scales = Array.isArray(data.lora_scales) ? (data.lora_scales as number[]) : [];
  form.loras = paths.map((name, index) => ({
    name,
    scale: String(scales[index] ?? LORA_SCALE_DEFAULT),
  }));
  return form;
}
