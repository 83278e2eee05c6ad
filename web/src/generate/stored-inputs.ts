// "Use these settings" with the pictures: a job's stored inputs (GET /api/jobs/{id}/inputs,
// PNGs by request field, a list's as `<list>.<index>.<column>`) fetched with the key and
// turned into the data URIs the form holds, for every picture of the job's form: its image
// slots, their masks, and the picture columns of its lists (keyframes, control images).
import { api } from "../api/client";
import type { Job } from "../api/types";
import { FORMS } from "./fields";
import { readAsDataUri } from "./read-image";

/** Whether a stored input is a picture of the form: a slot, its mask, or a list's column. */
function isPictureOf(kind: Job["type"]): (name: string) => boolean {
  const { images, fields } = FORMS[kind];
  const slots = new Set<string>(
    images
      .filter((slot) => !slot.video)
      .flatMap((slot) => [slot.name, ...(slot.mask ? [slot.mask.name] : [])]),
  );
  const listColumns = new Set(
    fields.flatMap((field) =>
      (field.columns ?? [])
        .filter((column) => column.kind === "image")
        .map((column) => `${field.name}.${column.name}`),
    ),
  );
  return (name) => slots.has(name) || listColumns.has(name.replace(/\.\d+\./, "."));
}

/** The job's stored pictures as data URIs by stored-input name (only those its form has). */
export async function storedPictures(job: Job): Promise<Record<string, string>> {
  const isPicture = isPictureOf(job.type);
  const inputs = (await api.inputs(job.id)).filter((input) => isPicture(input.name));
  const pictures = await Promise.all(
    inputs.map(async (input) => {
      const bytes = await api.download(input.url);
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "image/png" });
      return [input.name, await readAsDataUri(blob)] as const;
    }),
  );
  return Object.fromEntries(pictures);
}
