// One output file in the gallery: the picture (a button that opens it large) or the video
// player, labelled with its prompt and seed, a "view large" button and its download link.
import { useRef } from "preact/hooks";
import { useT } from "../i18n";
import { useOutputUrl } from "./use-output-url";

interface OutputMediaProps {
  url: string;
  kind: "image" | "video";
  width: number;
  height: number;
  seed: number;
  /** What it shows: its prompt (a batch image: with its place in the batch). */
  label: string;
  onOpen: () => void;
}

export function OutputMedia({ url, kind, width, height, seed, label, onOpen }: OutputMediaProps) {
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
        <button
          type="button"
          class="output-open"
          onClick={onOpen}
          aria-label={t("gallery.view", { label })}
        >
          <img src={source} alt="" width={width} height={height} loading="lazy" />
        </button>
      )}
      <figcaption>
        <span class="output-label" title={label}>
          {label}
        </span>
        <span>{t("gallery.seed", { seed })}</span>
        <span class="output-actions">
          {kind === "video" && (
            <button
              type="button"
              class="link"
              onClick={onOpen}
              aria-label={t("gallery.view", { label })}
            >
              {t("gallery.viewShort")}
            </button>
          )}
          <a href={source} download={fileName}>
            {t("gallery.download")}
          </a>
        </span>
      </figcaption>
    </figure>
  );
}
