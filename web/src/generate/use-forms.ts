// The four forms, kept while the person moves between pages, and the refill from a job.
import { useState } from "preact/hooks";
import { JOB_KINDS, type Job, type JobKind } from "../api/types";
import { formFromJob, initialForm, type FormState } from "./form-state";

export interface Forms {
  kind: JobKind;
  form: FormState;
  /** The job whose settings were loaded last, for the notice. */
  refilledFrom: string | undefined;
  select: (kind: JobKind) => void;
  update: (change: (form: FormState) => FormState) => void;
  reset: () => void;
  refill: (job: Job) => void;
}

const allInitial = () =>
  Object.fromEntries(JOB_KINDS.map((kind) => [kind, initialForm(kind)])) as Record<
    JobKind,
    FormState
  >;

export function useForms(): Forms {
  const [kind, setKind] = useState<JobKind>("image");
  const [forms, setForms] = useState(allInitial);
  const [refilledFrom, setRefilledFrom] = useState<string>();
  const put = (which: JobKind, form: FormState) => {
    setForms((all) => ({ ...all, [which]: form }));
  };
  return {
    kind,
    form: forms[kind],
    refilledFrom,
    select: setKind,
    update: (change) => {
      setForms((all) => ({ ...all, [kind]: change(all[kind]) }));
    },
    reset: () => {
      put(kind, initialForm(kind));
      setRefilledFrom(undefined);
    },
    refill: (job) => {
      // The pictures are not part of a job's record; the ones on the form stay.
      put(job.type, { ...formFromJob(job), images: forms[job.type].images });
      setKind(job.type);
      setRefilledFrom(job.id);
    },
  };
}
