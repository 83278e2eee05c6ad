// Small PNG files for the image inputs of the forms.
import { join } from "node:path";
import sharp from "sharp";

export async function writePicture(
  dir: string,
  name: string,
  rgb: [number, number, number],
  size = { width: 96, height: 64 },
) {
  const path = join(dir, name);
  const [r, g, b] = rgb;
  await sharp({ create: { ...size, channels: 3, background: { r, g, b } } })
    .png()
    .toFile(path);
  return path;
}
