// "Use these settings" with the pictures: a job's stored inputs (GET /api/jobs/{id}/inputs,
// PNGs by request field) fetched with the key and turned into the data URIs the form's
// image slots hold, for every slot (and mask) of the job's form, whatever its name.
import { api } from "../api/client";
import type { Job } from "../api/types";
import { FORMS } from "./fields";
import { readAsDataUri } from "./read-image";

/** The names of a form's pictures: its image slots and the masks painted over them. */
function pictureNames(kind: Job["type"]): Set<string> {
  return new Set(
    FORMS[kind].images.flatMap((slot) => [slot.name, ...(slot.mask ? [slot.mask.name] : [])]),
  );
}

/** The job's stored pictures as data URIs by request field (only those its form has). */
export async function storedPictures(job: Job): Promise<Record<string, string>> {
  const names = pictureNames(job.type);
  const inputs = (await api.inputs(job.id)).filter((input) => names.has(input.name));
  const pictures = await Promise.all(
    inputs.map(async (input) => {
      const bytes = await api.download(input.url);
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "image/png" });
      return [input.name, await readAsDataUri(blob)] as const;
    }),
  );
  return Object.fromEntries(pictures);
}
