// The Gallery page: finished jobs' outputs, their stored parameters, and a way to
// load those settings (seed included) back into the form.
import type { Job } from "../api/types";
import { LoadError } from "../app/LoadError";
import { useT } from "../i18n";
import { jobTitle } from "../queue/JobCard";
import { LoadMore } from "../queue/LoadMore";
import { useJobs } from "../queue/use-jobs";
import { OutputMedia } from "./OutputMedia";

interface GalleryPanelProps {
  version: number;
  onReuse: (job: Job) => void;
}

function Parameters({ data }: { data: Record<string, unknown> }) {
  const t = useT();
  return (
    <details class="parameters">
      <summary>{t("gallery.parameters")}</summary>
      <dl>
        {Object.entries(data).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function GalleryItem({ job, onReuse }: { job: Job; onReuse: (job: Job) => void }) {
  const t = useT();
  const video = job.result?.video;
  return (
    <li class="gallery-item" data-job-id={job.id}>
      <p class="job-head">
        <span class="badge">{t(`kind.${job.type}`)}</span>
        <span class="job-id">{job.id.slice(0, 8)}</span>
      </p>
      <p class="job-title">{jobTitle(job)}</p>
      <div class="outputs">
        {video && <OutputMedia kind="video" {...video} />}
        {job.result?.images.map((image) => (
          <OutputMedia key={image.url} kind="image" {...image} />
        ))}
      </div>
      <Parameters data={job.data} />
      <button
        type="button"
        onClick={() => {
          onReuse(job);
        }}
      >
        {t("gallery.reuse")}
      </button>
    </li>
  );
}

export function GalleryPanel({ version, onReuse }: GalleryPanelProps) {
  const t = useT();
  const { jobs, error, loadMore } = useJobs({ status: "completed" }, { live: false, version });
  return (
    <section aria-labelledby="gallery-title">
      <h2 id="gallery-title">{t("nav.gallery")}</h2>
      <LoadError error={error} retrying />
      {!error && jobs?.length === 0 && <p class="hint">{t("gallery.empty")}</p>}
      <ul class="gallery">
        {jobs?.map((job) => (
          <GalleryItem key={job.id} job={job} onReuse={onReuse} />
        ))}
      </ul>
      <LoadMore onLoad={loadMore} />
    </section>
  );
}
