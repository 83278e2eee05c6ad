// Output files need the API key too, and <img>/<video> cannot send it: with a key
// stored, the file is fetched with it (the SDK's download) and shown from a blob: URL.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { storedKey } from "../api/key";

/** The media types of the output files (the blob keeps it, for <video> and downloads). */
const TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", mp4: "video/mp4" };

export function useOutputUrl(url: string): string | undefined {
  const keyed = storedKey() !== null;
  const [blobUrl, setBlobUrl] = useState<string>();
  useEffect(() => {
    if (!keyed) return;
    let objectUrl: string | undefined;
    const controller = new AbortController();
    api.download(url, controller.signal).then(
      (bytes) => {
        if (controller.signal.aborted) return;
        const type = TYPES[url.split(".").pop() ?? ""] ?? "";
        objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
        setBlobUrl(objectUrl);
      },
      () => undefined, // refused (the key prompt opens) or gone: nothing to show
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, keyed]);
  return keyed ? blobUrl : url;
}
