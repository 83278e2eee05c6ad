// One output file: the picture or the video player, and its download link.
import { useRef } from "preact/hooks";
import { useT } from "../i18n";
import { useOutputUrl } from "./use-output-url";

interface OutputMediaProps {
  url: string;
  kind: "image" | "video";
  width: number;
  height: number;
  seed: number;
}

export function OutputMedia({ url, kind, width, height, seed }: OutputMediaProps) {
  const t = useT();
  const figure = useRef<HTMLElement>(null);
  const source = useOutputUrl(url, figure);
  const fileName = url.split("/").slice(-2).join("-");
  // width/height attributes reserve the box before the file arrives; a video loads only
  // its first frame and length until played.
  return (
    <figure class="output" ref={figure}>
      {kind === "video" ? (
        <video
          src={source}
          controls
          loop
          playsInline
          preload="metadata"
          width={width}
          height={height}
        />
      ) : (
        <img src={source} alt="" width={width} height={height} loading="lazy" />
      )}
      <figcaption>
        <span>{t("gallery.seed", { seed })}</span>{" "}
        <a href={source} download={fileName}>
          {t("gallery.download")}
        </a>
      </figcaption>
    </figure>
  );
}
