// Output files need the API key too, and <img>/<video> cannot send it: with a key
// stored, the file is fetched with it and shown from a blob: URL.
import { useEffect, useState } from "preact/hooks";
import { authHeaders, storedKey } from "../api/key";

export function useOutputUrl(url: string): string | undefined {
  const keyed = storedKey() !== null;
  const [blobUrl, setBlobUrl] = useState<string>();
  useEffect(() => {
    if (!keyed) return;
    let objectUrl: string | undefined;
    let current = true;
    void fetch(url, { headers: authHeaders() })
      .then((response) => (response.ok ? response.blob() : undefined))
      .then((blob) => {
        if (!blob || !current) return;
        objectUrl = URL.createObjectURL(blob);
        setBlobUrl(objectUrl);
      });
    return () => {
      current = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, keyed]);
  return keyed ? blobUrl : url;
}
