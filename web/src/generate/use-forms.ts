// The four forms, kept while the person moves between pages, and the refill from a job
// (its settings at once, its stored pictures when they have arrived).
import { useRef, useState } from "preact/hooks";
import { JOB_KINDS, type Job, type JobKind } from "../api/types";
import {
  continuationForm,
  formFromJob,
  initialForm,
  withPictures,
  type FormState,
} from "./form-state";
import { storedPictures } from "./stored-inputs";

/** Where the refilled job's pictures are: on their way, in the form, none stored, or lost. */
export type RefillPictures = "loading" | "loaded" | "none" | "failed";

export interface Forms {
  kind: JobKind;
  form: FormState;
  /** The job whose settings were loaded last, for the notice. */
  refilledFrom: string | undefined;
  refilledPictures: RefillPictures | undefined;
  select: (kind: JobKind) => void;
  update: (change: (form: FormState) => FormState) => void;
  reset: () => void;
  refill: (job: Job) => void;
  /** The Video form set to continue a finished video job. */
  continueVideo: (job: Job) => void;
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
  const [refilledPictures, setRefilledPictures] = useState<RefillPictures>();
  /** The latest refill: pictures of an earlier one that arrive late are dropped. */
  const latestRefill = useRef(0);
  const put = (which: JobKind, form: FormState) => {
    setForms((all) => ({ ...all, [which]: form }));
  };
  return {
    kind,
    form: forms[kind],
    refilledFrom,
    refilledPictures,
    select: setKind,
    update: (change) => {
      setForms((all) => ({ ...all, [kind]: change(all[kind]) }));
    },
    reset: () => {
      latestRefill.current++;
      put(kind, initialForm(kind));
      setRefilledFrom(undefined);
      setRefilledPictures(undefined);
    },
    continueVideo: (job) => {
      latestRefill.current++; // pictures of a refill still on their way are not wanted
      put("video", continuationForm(job));
      setKind("video");
      setRefilledFrom(undefined);
      setRefilledPictures(undefined);
    },
    refill: (job) => {
      // The settings at once; the pictures the job stored replace the form's when they come.
      const refill = ++latestRefill.current;
      put(job.type, formFromJob(job));
      setKind(job.type);
      setRefilledFrom(job.id);
      setRefilledPictures("loading");
      storedPictures(job).then(
        (pictures) => {
          if (refill !== latestRefill.current) return;
          setForms((all) => ({ ...all, [job.type]: withPictures(all[job.type], pictures) }));
          setRefilledPictures(Object.keys(pictures).length > 0 ? "loaded" : "none");
        },
        () => {
          if (refill === latestRefill.current) setRefilledPictures("failed");
        },
      );
    },
  };
}
