// The Gallery page: finished jobs' outputs (filtered by type, status, date and prompt),
// each labelled with its prompt and seed and viewable full size; the parameters a job ran
// with, and a way to load them (seed and pictures included) back into the form.
import { useCallback, useMemo, useState } from "preact/hooks";
import type { Job } from "../api/types";
import { LoadError } from "../app/LoadError";
import { useT } from "../i18n";
import { JobActions } from "../queue/JobActions";
import { jobTitle } from "../queue/JobCard";
import { LoadMore } from "../queue/LoadMore";
import { useJobs } from "../queue/use-jobs";
import { galleryOutputs, shownParameters, type GalleryOutput } from "./gallery-items";
import {
  GalleryFilters,
  INITIAL_GALLERY_FILTER,
  listFilter,
  type GalleryFilterState,
} from "./GalleryFilters";
import { OutputMedia } from "./OutputMedia";
import { outputLabel, Viewer } from "./Viewer";

interface GalleryPanelProps {
  version: number;
  onReuse: (job: Job) => void;
  /** A finished video: the Video form set to continue it (F1). */
  onContinue: (job: Job) => void;
}

function Parameters({ job }: { job: Job }) {
  const t = useT();
  const { data, random } = shownParameters(job);
  return (
    <details class="parameters">
      <summary>{t("gallery.parameters")}</summary>
      <dl>
        {Object.entries(data).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>
              {typeof value === "string" ? value : JSON.stringify(value)}
              {random.has(name) && ` ${t("gallery.randomSeed")}`}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

interface GalleryItemProps {
  job: Job;
  outputs: readonly GalleryOutput[];
  onOpen: (output: GalleryOutput) => void;
  onReuse: (job: Job) => void;
  onContinue: (job: Job) => void;
  /** A job was retried or deleted here: the list reloads. */
  onChanged: () => void;
}

function GalleryItem({ job, outputs, onOpen, onReuse, onContinue, onChanged }: GalleryItemProps) {
  const t = useT();
  return (
    <li class="gallery-item" data-job-id={job.id}>
      <p class="job-head">
        <span class="badge">{t(`kind.${job.type}`)}</span>
        <span class="job-id">{job.id.slice(0, 8)}</span>
      </p>
      <p class="job-title">{jobTitle(job)}</p>
      <div class="outputs">
        {outputs.map((output) => (
          <OutputMedia
            key={output.url}
            {...output}
            label={outputLabel(output)}
            onOpen={() => {
              onOpen(output);
            }}
          />
        ))}
      </div>
      <Parameters job={job} />
      <button
        type="button"
        onClick={() => {
          onReuse(job);
        }}
      >
        {t("gallery.reuse")}
      </button>
      {job.type === "video" && job.status === "completed" && (
        <button
          type="button"
          onClick={() => {
            onContinue(job);
          }}
        >
          {t("gallery.continue")}
        </button>
      )}
      <JobActions job={job} onChanged={onChanged} />
    </li>
  );
}

export function GalleryPanel({ version, onReuse, onContinue }: GalleryPanelProps) {
  const t = useT();
  const [filterState, setFilterState] = useState<GalleryFilterState>(INITIAL_GALLERY_FILTER);
  const filter = useMemo(() => listFilter(filterState), [filterState]);
  const { jobs, error, refresh, loadMore } = useJobs(filter, { live: false, version });
  const outputs = useMemo(() => galleryOutputs(jobs ?? []), [jobs]);
  /** The URL of the output open in the viewer (kept by URL: the list may reload meanwhile). */
  const [viewing, setViewing] = useState<string>();
  const viewingAt = outputs.findIndex((output) => output.url === viewing);
  const onFilterChange = useCallback((next: GalleryFilterState) => {
    setFilterState(next);
  }, []);
  const filtered = JSON.stringify(filterState) !== JSON.stringify(INITIAL_GALLERY_FILTER);
  return (
    <section aria-labelledby="gallery-title">
      <h2 id="gallery-title">{t("nav.gallery")}</h2>
      <GalleryFilters value={filterState} onChange={onFilterChange} />
      <LoadError error={error} retrying />
      {!error && jobs?.length === 0 && (
        <p class="hint">{t(filtered ? "gallery.noMatch" : "gallery.empty")}</p>
      )}
      <ul class="gallery">
        {jobs?.map((job) => (
          <GalleryItem
            key={job.id}
            job={job}
            outputs={outputs.filter((output) => output.job.id === job.id)}
            onOpen={(output) => {
              setViewing(output.url);
            }}
            onReuse={onReuse}
            onContinue={onContinue}
            onChanged={refresh}
          />
        ))}
      </ul>
      <LoadMore onLoad={loadMore} />
      {viewingAt >= 0 && (
        <Viewer
          outputs={outputs}
          at={viewingAt}
          onMove={(at) => {
            setViewing(outputs[at]?.url);
          }}
          onClose={() => {
            setViewing(undefined);
          }}
        />
      )}
    </section>
  );
}
