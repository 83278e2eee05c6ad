// The Generate page, a workbench: a tab per job type and its form on one side, the job
// just sent on the other (JobPanel: progress, preview, result), below the form on a
// narrow window. A new input picture proposes its own aspect for the size fields.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { FramePackError } from "../../../src/client/index";
import { proposedSize, type Size } from "../../../src/contract/buckets";
import { api } from "../api/client";
import { JOB_KINDS, type JobKind, type SubmitBodies } from "../api/types";
import { useT, type MessageKey } from "../i18n";
import { formErrors, NO_ERRORS, type FormErrors } from "./errors";
import { Field } from "./Field";
import { FORMS, type UploadSlot } from "./fields";
import { JobPanel } from "./JobPanel";
import { requestBody } from "./form-state";
import { FileDrop } from "./FileDrop";
import { LoraPicker } from "./LoraPicker";
import { MaskPainter } from "./MaskPainter";
import { PngSettingsPicker, usePngSettings } from "./PngSettings";
import { firstImage, loadImage, readAsDataUri } from "./read-image";
import type { Forms, RefillPictures } from "./use-forms";
import { TabPanel, Tabs } from "../app/Tabs";

const REFILL_NOTICES: Record<RefillPictures, MessageKey> = {
  loading: "form.refilledLoading",
  loaded: "form.refilledPictures",
  none: "form.refilled",
  failed: "form.refilledFailed",
};

interface GeneratePanelProps {
  forms: Forms;
  session: number;
  onQueued: () => void;
  onShowQueue: () => void;
}

export function GeneratePanel({ forms, session, onQueued, onShowQueue }: GeneratePanelProps) {
  const t = useT();
  const { kind, form, update } = forms;
  const spec = FORMS[kind];
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState<string>();
  /** The job on the live side, and the request that made it ("again with a new seed"). */
  const [sent, setSent] = useState<{ id: string; kind: JobKind; body: SubmitBodies[JobKind] }>();
  /** The size proposed for the last picture dropped, for the notice under the fields. */
  const [proposed, setProposed] = useState<Size>();
  const advanced = useRef<HTMLDetailsElement>(null);
  const pngSettings = usePngSettings(kind, update);
  /** Sets (or, with undefined, removes) the images and masks named. */
  const setImages = (changes: Record<string, string | undefined>) => {
    update((old) => {
      const kept = Object.entries(old.images).filter(([name]) => !(name in changes));
      const added = Object.entries(changes).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      );
      return { ...old, images: Object.fromEntries([...kept, ...added]) };
    });
  };
  // A new picture (or none) starts with no mask: one painted for another would not fit.
  const setPicture = (slot: UploadSlot, value: string | undefined) => {
    setImages({ [slot.name]: value, ...(slot.mask ? { [slot.mask.name]: undefined } : {}) });
    if (slot.proposesSize && value) void proposeSize(value);
  };
  // The picture's nearest bucket at the form's default area goes into the size fields,
  // which stay the person's to change (the API itself keeps its defaults).
  const proposeSize = async (picture: string) => {
    let natural: Size;
    try {
      const image = await loadImage(picture);
      natural = { width: image.naturalWidth, height: image.naturalHeight };
    } catch {
      return; // not decodable here: the server names the field when it is sent
    }
    const size = proposedSize(natural, spec.defaultSize);
    update((old) => ({
      ...old,
      values: { ...old.values, width: String(size.width), height: String(size.height) },
    }));
    setProposed(size);
  };

  // A refused field under "More settings" must not stay hidden in the closed section:
  // opened before the browser paints, in the same frame as the refusal's message.
  useLayoutEffect(() => {
    const section = advanced.current;
    if (section && spec.fields.some((field) => field.advanced && errors.byField[field.name]))
      section.open = true;
  }, [errors, spec.fields]);

  // Paste anywhere on the page (outside text fields) fills the first empty picture.
  const pastePicture = (event: ClipboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target?.closest("input, textarea")) return;
    const file = firstImage(event.clipboardData);
    const pictures = spec.images.filter((slot) => !slot.video);
    const slot = pictures.find((image) => !form.images[image.name]) ?? pictures[0];
    if (!file || !slot) return;
    event.preventDefault();
    void readAsDataUri(file).then((uri) => {
      setPicture(slot, uri);
    });
  };
  // One listener while the page is shown; it calls the latest render's pastePicture, which
  // sees the form as it is now.
  const latestPaste = useRef(pastePicture);
  latestPaste.current = pastePicture;
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      latestPaste.current(event);
    };
    document.addEventListener("paste", onPaste);
    return () => {
      document.removeEventListener("paste", onPaste);
    };
  }, []);

  const send = async (kind: JobKind, body: SubmitBodies[JobKind]) => {
    setBusy(true);
    setQueued(undefined);
    try {
      const accepted = await api.submit(kind, body);
      setErrors(NO_ERRORS);
      setQueued(accepted.job_id);
      setSent({ id: accepted.job_id, kind, body });
      onQueued();
    } catch (error) {
      const known = new Set([
        ...spec.fields.map((field) => field.name),
        ...spec.images.flatMap((image) => [image.name, ...(image.mask ? [image.mask.name] : [])]),
        "lora_paths",
      ]);
      setErrors(
        error instanceof FramePackError
          ? formErrors(error, known)
          : { ...NO_ERRORS, summary: t("error.network") },
      );
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    void send(kind, requestBody(kind, form));
  };
  // The request of the job shown, with a new random seed (a batch: one per prompt).
  const again = () => {
    if (!sent) return;
    const body: Record<string, unknown> = { ...sent.body };
    delete body.seeds;
    if (sent.kind === "batch_image") delete body.seed;
    else body.seed = -1;
    void send(sent.kind, body as SubmitBodies[JobKind]);
  };

  const fieldsOf = (advanced: boolean) =>
    spec.fields
      .filter((field) => (field.advanced ?? false) === advanced)
      .map((field) => (
        <Field
          key={`${kind}-${field.name}`}
          field={field}
          value={form.values[field.name] ?? ""}
          error={errors.byField[field.name]}
          onChange={(value) => {
            update((old) => ({ ...old, values: { ...old.values, [field.name]: value } }));
          }}
        />
      ));

  return (
    <section aria-labelledby="generate-title" class="workbench">
      <div class="workbench-inputs">
        <h2 id="generate-title" class="visually-hidden">
          {t("nav.generate")}
        </h2>
        <Tabs
          id="kind"
          label={t("kind.label")}
          items={JOB_KINDS.map((item) => ({ id: item, label: t(`kind.${item}`) }))}
          selected={kind}
          onSelect={(item) => {
            forms.select(item);
            setErrors(NO_ERRORS);
            setQueued(undefined);
            setProposed(undefined);
          }}
        />
        <TabPanel tabs="kind" selected={kind}>
          {forms.refilledFrom && (
            <p class="notice" role="status">
              {t(REFILL_NOTICES[forms.refilledPictures ?? "none"], {
                id: forms.refilledFrom.slice(0, 8),
              })}
            </p>
          )}
          <form class="generate-form" noValidate onSubmit={submit} {...pngSettings.formHandlers}>
            <PngSettingsPicker settings={pngSettings} />
            {errors.summary && (
              <div class="form-errors" role="alert">
                <p>{errors.summary}</p>
                {errors.general.length > 0 && (
                  <ul>
                    {errors.general.map((message) => (
                      <li key={message}>{message}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            <div class="images">
              {spec.images.map((slot) => {
                const image = form.images[slot.name];
                return (
                  <div key={`${kind}-${slot.name}`} class="image-slot">
                    <FileDrop
                      name={slot.name}
                      video={slot.video}
                      value={image}
                      error={errors.byField[slot.name]}
                      onChange={(value) => {
                        setPicture(slot, value);
                      }}
                    />
                    {slot.mask && image && (
                      <MaskPainter
                        role={slot.mask.role}
                        image={image}
                        mask={form.images[slot.mask.name]}
                        error={errors.byField[slot.mask.name]}
                        onChange={(mask) => {
                          if (slot.mask) setImages({ [slot.mask.name]: mask });
                        }}
                      />
                    )}
                  </div>
                );
              })}
            </div>
            {proposed && (
              <p class="notice" role="status" data-testid="size-proposal">
                {t("aspect.proposed", { ...proposed })}
              </p>
            )}
            <div class="fields">{fieldsOf(false)}</div>
            <LoraPicker
              value={form.loras}
              error={errors.byField.lora_paths}
              session={session}
              onChange={(loras) => {
                update((old) => ({ ...old, loras }));
              }}
            />
            <details class="advanced" ref={advanced}>
              <summary>{t("form.advanced")}</summary>
              <div class="fields">{fieldsOf(true)}</div>
            </details>
            <div class="form-actions">
              <button type="submit" class="primary" disabled={busy}>
                {busy ? t("form.submitting") : t("form.submit")}
              </button>
              <button
                type="button"
                onClick={() => {
                  forms.reset();
                  setProposed(undefined);
                }}
              >
                {t("form.reset")}
              </button>
            </div>
            <div class="form-result" aria-live="polite">
              {queued && <p>{t("form.queued", { id: queued.slice(0, 8) })}</p>}
            </div>
          </form>
        </TabPanel>
      </div>
      <JobPanel jobId={sent?.id} onAgain={busy ? undefined : again} onShowQueue={onShowQueue} />
    </section>
  );
}
