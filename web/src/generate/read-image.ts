// Images (and videos) from a file, a drop or the clipboard, as the data URIs the API takes.
export function readAsDataUri(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(reader.result as string); // readAsDataURL gives a string
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error("unreadable file"));
    };
    reader.readAsDataURL(file);
  });
}

/** The first file of a kind (its MIME type's first part) among dropped or pasted items. */
export function firstFileOf(data: DataTransfer | null, media: "image" | "video"): File | undefined {
  return [...(data?.files ?? [])].find((file) => file.type.startsWith(`${media}/`));
}

/** The first image among dropped or pasted items, if any. */
export const firstImage = (data: DataTransfer | null) => firstFileOf(data, "image");

/** A picture decoded and ready to draw (its natural size known). */
export async function loadImage(source: string): Promise<HTMLImageElement> {
  const picture = new Image();
  picture.src = source;
  await picture.decode();
  return picture;
}
