// The pictures of a request as the job keeps them: each image field's file among the
// job's stored inputs (PNG, whatever was uploaded), so that intake writes them and
// GET /api/jobs/{id}/inputs finds them under one name. A video's keyframes are stored
// as keyframe-<n>-section-<s>.png and are not served by field.
import type { IMAGE_FIELDS, JobType } from "../contract/requests.js";

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
