// The Queue page: the live job list with filters by type and status.
import { useState } from "preact/hooks";
import { LoadError } from "../app/LoadError";
import { JOB_KINDS, JOB_STATUSES, type JobFilter } from "../api/types";
import { useT } from "../i18n";
import { JobCard } from "./JobCard";
import { LoadMore } from "./LoadMore";
import { QueueControl } from "./QueueControl";
import { useJobs } from "./use-jobs";

interface FilterSelectProps<T extends string> {
  id: string;
  label: string;
  value: T | undefined;
  options: readonly T[];
  optionLabel: (option: T) => string;
  onChange: (value: T | undefined) => void;
}

export function FilterSelect<T extends string>(props: FilterSelectProps<T>) {
  const t = useT();
  return (
    <div class="filter">
      <label for={props.id}>{props.label}</label>{" "}
      <select
        id={props.id}
        value={props.value ?? ""}
        onChange={(event) => {
          props.onChange((event.currentTarget.value || undefined) as T | undefined);
        }}
      >
        <option value="">{t("queue.all")}</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.optionLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function QueuePanel({ version }: { version: number }) {
  const t = useT();
  const [filter, setFilter] = useState<JobFilter>({});
  const { jobs, error, refresh, loadMore } = useJobs(filter, { live: true, version });
  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">{t("nav.queue")}</h2>
      <QueueControl version={version} onChanged={refresh} />
      <div class="filters" role="group" aria-label={t("queue.filters")}>
        <FilterSelect
          id="filter-type"
          label={t("queue.type")}
          value={filter.type}
          options={JOB_KINDS}
          optionLabel={(kind) => t(`kind.${kind}`)}
          onChange={(type) => {
            setFilter((old) => ({ ...old, type }));
          }}
        />
        <FilterSelect
          id="filter-status"
          label={t("queue.status")}
          value={filter.status}
          options={JOB_STATUSES}
          optionLabel={(status) => t(`status.${status}`)}
          onChange={(status) => {
            setFilter((old) => ({ ...old, status }));
          }}
        />
      </div>
      <LoadError error={error} retrying />
      {!error && jobs?.length === 0 && <p class="hint">{t("queue.empty")}</p>}
      <ul class="job-list">
        {jobs?.map((job) => (
          <JobCard key={job.id} job={job} onChanged={refresh} />
        ))}
      </ul>
      <LoadMore onLoad={loadMore} />
    </section>
  );
}
