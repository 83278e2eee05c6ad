// The pictures of a request as the job keeps them: each image field's file among the
// job's stored inputs (PNG, whatever was uploaded), and the pictures of its lists (a
// video's keyframes, 1f-mc control images and their masks), so that intake writes them
// and GET /api/jobs/{id}/inputs finds them under one name.
import { IMAGE_FIELDS, type JobType, type RecordedRequest } from "../contract/requests.js";

export type InputField = (typeof IMAGE_FIELDS)[number];

/** The stored file of each image field. */
export const INPUT_FILES: Record<InputField, string> = {
  input_image: "input.png",
  image: "input.png",
  end_image: "end.png",
  target_image: "target.png",
  source_image: "source.png",
  target_mask: "target-mask.png",
  source_mask: "source-mask.png",
};

/** The image fields a job of each type may have stored, in the order its request lists them. */
export const INPUT_FIELDS_OF: Record<JobType, readonly InputField[]> = {
  image: ["input_image"],
  batch_image: ["input_image"],
  image_transfer: ["target_image", "source_image", "target_mask", "source_mask"],
  video: ["image", "end_image"],
};

/** The files of list pictures: the keyframe's section is in its name for a reader's sake. */
export const keyframeFile = (index: number, section: number) =>
  `keyframe-${index}-section-${section}.png`;
export const controlFile = (index: number) => `control-${index}.png`;
export const controlMaskFile = (index: number) => `control-${index}-mask.png`;

/**
 * Every name the inputs listing may use: an image field, or a list picture as
 * `<list>.<index>.<property>` (dots, not brackets, so that it sits in a URL as it is).
 */
export const INPUT_NAME_PATTERN = `^(?:${IMAGE_FIELDS.join("|")}|keyframes\\.\\d{1,3}\\.image|control_images\\.\\d{1,3}\\.(?:image|mask))$`;

/** One picture a job may have stored: its name in the listing, and its file. */
export interface StoredInputName {
  name: string;
  file: string;
}

/**
 * The pictures a job of this type and request may have stored, in the request's order;
 * the list pictures follow from what the record keeps of each list (a keyframe's section,
 * whether a control image had a mask).
 */
export function inputNamesOf(job: { type: JobType; data: RecordedRequest }): StoredInputName[] {
  const fields = INPUT_FIELDS_OF[job.type].map((name) => ({ name, file: INPUT_FILES[name] }));
  const lists = job.data as {
    keyframes?: { section: number }[];
    control_images?: { mask: boolean }[];
  };
  const keyframes = (lists.keyframes ?? []).map(({ section }, index) => ({
    name: `keyframes.${index}.image`,
    file: keyframeFile(index, section),
  }));
  const controls = (lists.control_images ?? []).flatMap(({ mask }, index) => [
    { name: `control_images.${index}.image`, file: controlFile(index) },
    ...(mask ? [{ name: `control_images.${index}.mask`, file: controlMaskFile(index) }] : []),
  ]);
  return [...fields, ...keyframes, ...controls];
}
