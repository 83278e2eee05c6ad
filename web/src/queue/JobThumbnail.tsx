// A finished job's result in small, linking to the file: its (first) picture, or for a
// video its first frame (<video preload="metadata"> loads only that and its length) and
// its length in seconds. Files are fetched with the API key where one is stored.
import { useRef } from "preact/hooks";
import type { Job } from "../api/types";
import { useOutputUrl } from "../gallery/use-output-url";
import { useT } from "../i18n";

/** The file a card shows: the video, else the first picture; none before completion. */
function shownOutput(job: Job): { url: string; video: boolean; seconds?: number } | undefined {
  const video = job.result?.video;
  if (video) {
    const seconds = video.frames !== null && video.fps ? video.frames / video.fps : undefined;
    return { url: video.url, video: true, ...(seconds === undefined ? {} : { seconds }) };
  }
  const image = job.result?.images[0];
  return image ? { url: image.url, video: false } : undefined;
}

export function hasThumbnail(job: Job): boolean {
  return job.status === "completed" && shownOutput(job) !== undefined;
}

export function JobThumbnail({ job }: { job: Job }) {
  const t = useT();
  const place = useRef<HTMLAnchorElement>(null);
  const output = shownOutput(job);
  const source = useOutputUrl(output?.url ?? "", place);
  if (!output) return null;
  return (
    <a
      class="job-thumbnail"
      ref={place}
      href={source ?? output.url}
      target="_blank"
      rel="noopener"
      aria-label={t("queue.openResult", { id: job.id.slice(0, 8) })}
    >
      {output.video ? (
        <video src={source} preload="metadata" muted playsInline />
      ) : (
        <img src={source} alt="" loading="lazy" />
      )}
      {output.seconds !== undefined && (
        <span class="video-length">
          {t("queue.videoLength", { seconds: output.seconds.toFixed(1) })}
        </span>
      )}
    </a>
  );
}
