// Output files need the API key too, and <img>/<video> cannot send it: with a key
// stored, the file is fetched with it (the SDK's download) and shown from a blob: URL,
// once its place on the page comes near the screen (a long gallery is not all fetched
// into memory at once).
import type { RefObject } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { storedKey } from "../api/key";

/** The media types of the output files (the blob keeps it, for <video> and downloads). */
const TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", mp4: "video/mp4" };
/** How near the screen an output starts to load. */
const AHEAD = "300px";

export function useOutputUrl(url: string, place: RefObject<Element>): string | undefined {
  const key = storedKey();
  // Kept with the file and key it was fetched for: after a new key, an old blob is not shown.
  const [blob, setBlob] = useState<{ url: string; key: string; objectUrl: string }>();
  useEffect(() => {
    const element = place.current;
    if (key === null || !element) return;
    let objectUrl: string | undefined;
    const controller = new AbortController();
    const fetchFile = () => {
      api.download(url, controller.signal).then(
        (bytes) => {
          if (controller.signal.aborted) return;
          const type = TYPES[url.split(".").pop() ?? ""] ?? "";
          objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
          setBlob({ url, key, objectUrl });
        },
        () => undefined, // refused (the key prompt opens) or gone: nothing to show
      );
    };
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        fetchFile();
      },
      { rootMargin: AHEAD },
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
    // A new key fetches again: the last one may have been refused. (`place` is the caller's
    // ref, the same object each render.)
  }, [url, key, place]);
  if (key === null) return url;
  return blob?.url === url && blob.key === key ? blob.objectUrl : undefined;
}
