// The gallery's filters: type, status, a date range (the person's own days) and a prompt
// search, turned into the list query of GET /api/jobs (since/until as instants, q).
import { useEffect, useState } from "preact/hooks";
import { JOB_KINDS, JOB_STATUSES, type JobFilter } from "../api/types";
import { useT } from "../i18n";
import { FilterSelect } from "../queue/QueuePanel";

/** Waits this long after the last keystroke before searching. */
const SEARCH_PAUSE_MS = 300;

export interface GalleryFilterState {
  type: JobFilter["type"];
  status: JobFilter["status"];
  /** yyyy-mm-dd as a date field gives it, in the person's time zone; "" = open. */
  from: string;
  to: string;
  search: string;
}

export const INITIAL_GALLERY_FILTER: GalleryFilterState = {
  type: undefined,
  status: "completed",
  from: "",
  to: "",
  search: "",
};

/** The start of a local day as an instant, `days` later (the "to" day is included). */
function localDayStart(day: string, days = 0): string | undefined {
  const [year, month, date] = day.split("-").map(Number);
  if (year === undefined || month === undefined || date === undefined) return undefined;
  const start = new Date(year, month - 1, date + days);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

export function listFilter(state: GalleryFilterState): JobFilter {
  const since = state.from ? localDayStart(state.from) : undefined;
  const until = state.to ? localDayStart(state.to, 1) : undefined;
  const q = state.search.trim();
  return {
    ...(state.type ? { type: state.type } : {}),
    ...(state.status ? { status: state.status } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(q ? { q } : {}),
  };
}

interface DateFilterProps {
  id: string;
  label: string;
  value: string;
  /** The other end of the range ("" = open): a date field cannot cross it. */
  bounds: { min?: string; max?: string };
  onChange: (value: string) => void;
}

function DateFilter({ id, label, value, bounds, onChange }: DateFilterProps) {
  return (
    <div class="filter">
      <label for={id}>{label}</label>{" "}
      <input
        id={id}
        type="date"
        value={value}
        min={bounds.min || undefined}
        max={bounds.max || undefined}
        onChange={(event) => {
          onChange(event.currentTarget.value);
        }}
      />
    </div>
  );
}

interface GalleryFiltersProps {
  value: GalleryFilterState;
  onChange: (value: GalleryFilterState) => void;
}

export function GalleryFilters({ value, onChange }: GalleryFiltersProps) {
  const t = useT();
  // The search box answers each keystroke; the list follows once typing pauses.
  const [search, setSearch] = useState(value.search);
  useEffect(() => {
    if (search === value.search) return;
    const timer = setTimeout(() => {
      onChange({ ...value, search });
    }, SEARCH_PAUSE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [search, value, onChange]);
  const set = (change: Partial<GalleryFilterState>) => {
    onChange({ ...value, ...change });
  };
  return (
    <div class="filters" role="group" aria-label={t("queue.filters")}>
      <div class="filter filter-search">
        <label for="gallery-search">{t("gallery.search")}</label>{" "}
        <input
          id="gallery-search"
          type="search"
          value={search}
          onInput={(event) => {
            setSearch(event.currentTarget.value);
          }}
        />
      </div>
      <FilterSelect
        id="gallery-type"
        label={t("queue.type")}
        value={value.type}
        options={JOB_KINDS}
        optionLabel={(kind) => t(`kind.${kind}`)}
        onChange={(type) => {
          set({ type });
        }}
      />
      <FilterSelect
        id="gallery-status"
        label={t("queue.status")}
        value={value.status}
        options={JOB_STATUSES}
        optionLabel={(status) => t(`status.${status}`)}
        onChange={(status) => {
          set({ status });
        }}
      />
      <DateFilter
        id="gallery-from"
        label={t("gallery.from")}
        value={value.from}
        bounds={{ max: value.to }}
        onChange={(from) => {
          set({ from });
        }}
      />
      <DateFilter
        id="gallery-to"
        label={t("gallery.to")}
        value={value.to}
        bounds={{ min: value.from }}
        onChange={(to) => {
          set({ to });
        }}
      />
    </div>
  );
}
