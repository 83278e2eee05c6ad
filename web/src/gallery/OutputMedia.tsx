// One output file: the picture or the video player, and its download link.
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
  const source = useOutputUrl(url);
  const fileName = url.split("/").slice(-2).join("-");
  // width/height attributes reserve the box before the file arrives.
  return (
    <figure class="output">
      {kind === "video" ? (
        <video src={source} controls loop playsInline width={width} height={height} />
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
