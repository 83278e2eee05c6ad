// What the API benchmark's driver and its server process both need.

/** The id of the n-th job the benchmark stores directly (UUID-shaped, like real ids). */
export function seededJobId(n) {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** Milliseconds on a clock both processes share (the wall clock, sub-millisecond). */
export function sharedClockMs() {
  return performance.timeOrigin + performance.now();
}

/** The request body every benchmark submission sends: a prompt, defaults for the rest. */
export const IMAGE_REQUEST = { prompt: "a lighthouse at dusk, volumetric light", seed: 42 };
