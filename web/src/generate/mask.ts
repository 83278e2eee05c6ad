// The painted overlay -> the grayscale mask the engine reads: white where nothing was
// painted (target: keep, source: take), black where it was (target: repaint, source: ignore).
// Drawn with mix-blend-mode: difference (styles.css), so strokes show on any picture.
const PAINT_RGBA = [255, 255, 255, 217] as const;
export const PAINT_COLOR = `rgba(255, 255, 255, ${String(PAINT_RGBA[3] / 255)})`;

/** Long side of the painting canvas; the engine fits the mask to its image anyway. */
const MASK_MAX_SIDE = 1024;

export function maskSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MASK_MAX_SIDE / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** A PNG data URI of the mask, or undefined when nothing is painted. */
export function overlayToMask(overlay: HTMLCanvasElement): string | undefined {
  const context = overlay.getContext("2d");
  if (!context) return undefined;
  const { width, height } = overlay;
  const painted = context.getImageData(0, 0, width, height);
  const mask = new ImageData(width, height);
  let any = false;
  for (let offset = 0; offset < painted.data.length; offset += 4) {
    const isPainted = (painted.data[offset + 3] ?? 0) > 0;
    any ||= isPainted;
    const level = isPainted ? 0 : 255;
    mask.data.fill(level, offset, offset + 3);
    mask.data[offset + 3] = 255;
  }
  if (!any) return undefined;
  const out = document.createElement("canvas");
  out.width = width;
  out.height = height;
  out.getContext("2d")?.putImageData(mask, 0, 0);
  return out.toDataURL("image/png");
}

/** Paints a saved mask back onto an empty overlay: its dark pixels are the painted ones. */
export function drawSavedMask(mask: CanvasImageSource, overlay: HTMLCanvasElement): void {
  const context = overlay.getContext("2d");
  if (!context) return;
  const { width, height } = overlay;
  context.drawImage(mask, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height);
  for (let offset = 0; offset < pixels.data.length; offset += 4) {
    const isPainted = (pixels.data[offset] ?? 255) < 128;
    pixels.data.set(isPainted ? PAINT_RGBA : [0, 0, 0, 0], offset);
  }
  context.putImageData(pixels, 0, 0);
}
