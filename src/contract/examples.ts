// The example requests of the OpenAPI document (Swagger UI's "Try it out" sends them as
// they are): small sizes and few steps, so each answers 202 and finishes quickly even on
// the CPU with the tiny model set. They are not typed by the request types (those are
// made from the schemas that hold these examples): test/openapi.test.ts posts every one.

/**
 * A 64x64 PNG (sky, sun, grass; 4 colours, 159 bytes) as base64: a real image for the
 * image fields of the examples, made once with sharp and kept here as text.
 */
export const EXAMPLE_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAEAAAABAAgMAAADXB5lNAAAACVBMVEV4tOtGjDz60kYYC+R4AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAPElEQVQ4y2NgGAZg1aoGFD7TqlULUAS0Vq1ahV8AyEcxhAkksGAQCmC4lAjPYYQHRoiNUBCKBkYFSBUAAMvTmQ9eeD1TAAAAAElFTkSuQmCC";

/** Small enough for a quick example, large enough to show something. */
const SMALL = { width: 128, height: 128 } as const;

export const IMAGE_EXAMPLE = {
  prompt: "A paper lantern floating over a quiet lake at dusk",
  seed: 42,
  steps: 4,
  ...SMALL,
};

export const BATCH_EXAMPLE = {
  prompts: ["A red fox in fresh snow", "A lighthouse in a storm"],
  seeds: [1, 2],
  steps: 4,
  batch_size: 2,
  ...SMALL,
};

export const TRANSFER_EXAMPLE = {
  prompt: "The same landscape in the colours of the reference",
  source_image: EXAMPLE_PNG_BASE64,
  target_image: EXAMPLE_PNG_BASE64,
  seed: 42,
  steps: 4,
  ...SMALL,
};

export const VIDEO_EXAMPLE = {
  prompt: "The sun slowly sets behind the hills",
  image: EXAMPLE_PNG_BASE64,
  video_length: 1,
  seed: 42,
  steps: 3,
  ...SMALL,
};
