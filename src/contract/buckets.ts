// FramePack's size buckets (docs/framepack.md §3), the one table the web page and the CLI
// read to propose a size for an input picture: the nearest bucket of its aspect, scaled to
// the form's default area. The engine keeps the same list in
// engine/framepack_engine/conditioning/image.py (BUCKETS_640, find_nearest_bucket); a test
// compares the two. The API itself never proposes: it keeps the contract's defaults.

export interface Size {
  width: number;
  height: number;
}

/** The resolution FramePack's list is written for. */
export const BASE_RESOLUTION = 640;
/** Every side stays a multiple of 16: the VAE divides by 8 and the transformer's patch by 2. */
const BUCKET_MULTIPLE = 16;

/** FramePack's buckets for resolution 640 as (height, width), from widest to tallest. */
export const BUCKETS_640: readonly (readonly [height: number, width: number])[] = [
  [416, 960],
  [448, 864],
  [480, 832],
  [512, 768],
  [544, 704],
  [576, 672],
  [608, 640],
  [640, 608],
  [672, 576],
  [704, 544],
  [768, 512],
  [832, 480],
  [864, 448],
  [960, 416],
];

/** Python's round(), the engine's: halves go to the even neighbour. */
function pythonRound(value: number): number {
  const floor = Math.floor(value);
  if (value - floor !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function snap(side: number): number {
  return Math.max(BUCKET_MULTIPLE, pythonRound(side / BUCKET_MULTIPLE) * BUCKET_MULTIPLE);
}

/** The 640 list scaled by resolution/640, each side snapped to 16 (the engine's scaling). */
export function bucketsForResolution(resolution: number = BASE_RESOLUTION): Size[] {
  const scale = resolution / BASE_RESOLUTION;
  return BUCKETS_640.map(([height, width]) =>
    resolution === BASE_RESOLUTION
      ? { width, height }
      : { width: snap(width * scale), height: snap(height * scale) },
  );
}

/**
 * The bucket whose aspect is closest to the picture's: minimises |h*bw - w*bh|, ties going
 * to the later entry, as find_nearest_bucket does.
 */
export function nearestBucket(picture: Size, resolution: number = BASE_RESOLUTION): Size {
  let best = bucketsForResolution(resolution)[0] as Size;
  let bestMetric = Infinity;
  for (const bucket of bucketsForResolution(resolution)) {
    const metric = Math.abs(picture.height * bucket.width - picture.width * bucket.height);
    if (metric <= bestMetric) {
      best = bucket;
      bestMetric = metric;
    }
  }
  return best;
}

/**
 * The resolution whose buckets have the area of `size`: a picture of that size's own
 * aspect is proposed that size again (the image form's 1216x704 stays 1216x704).
 */
export function resolutionOfArea(size: Size): number {
  const bucket = nearestBucket(size);
  return BASE_RESOLUTION * Math.sqrt((size.width * size.height) / (bucket.width * bucket.height));
}

/**
 * The size proposed for an input picture: its nearest bucket at the area of the form's
 * default size, or at FramePack's 640 when the form has none (the engine's own choice).
 */
export function proposedSize(picture: Size, defaultSize?: Size): Size {
  const resolution = defaultSize ? resolutionOfArea(defaultSize) : BASE_RESOLUTION;
  return nearestBucket(picture, resolution);
}

/** The default size a request schema gives (the image requests'), if it gives both sides. */
export function defaultSizeOf(schema: {
  properties: { width?: { default?: unknown }; height?: { default?: unknown } };
}): Size | undefined {
  const width = schema.properties.width?.default;
  const height = schema.properties.height?.default;
  return typeof width === "number" && typeof height === "number" ? { width, height } : undefined;
}
