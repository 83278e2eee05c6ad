// A file input for a picture (or, with `video`, an MP4): drop a file on it, paste while it
// has focus, or pick a file; it holds the file as a data URI.
import { useState } from "preact/hooks";
import { useT, type MessageKey } from "../i18n";
import { FieldError } from "./Field";
import { firstFileOf, readAsDataUri } from "./read-image";

interface FileDropProps {
  name: string;
  value: string | undefined;
  error: string | undefined;
  onChange: (dataUri: string | undefined) => void;
  /** An MP4 instead of a picture. */
  video?: boolean;
}

const ACCEPTED = { image: "image/png,image/jpeg,image/webp", video: "video/mp4" } as const;

export function FileDrop({ name, value, error, onChange, video = false }: FileDropProps) {
  const t = useT();
  const [dragging, setDragging] = useState(false);
  const [unreadable, setUnreadable] = useState(false);
  const media = video ? "video" : "image";
  const firstFile = (data: DataTransfer | null) => firstFileOf(data, media);
  const id = `image-${name}`;
  const shownError = unreadable ? t(`${media}.unreadable`) : error;
  const take = async (file: File | undefined) => {
    if (!file) return;
    try {
      onChange(await readAsDataUri(file));
      setUnreadable(false);
    } catch {
      setUnreadable(true);
    }
  };
  return (
    <div class={`field field-wide image-drop${shownError ? " has-error" : ""}`}>
      <label id={`${id}-label`} for={id}>
        {t(`field.${name}` as MessageKey)}
      </label>
      <div
        class={`drop-zone${dragging ? " dragging" : ""}`}
        // Focusable so a paste reaches it; a group named like the field, described by its
        // help (always there) and its error (while there is one).
        role="group"
        tabIndex={0}
        data-upload-slot={name}
        aria-labelledby={`${id}-label`}
        aria-describedby={shownError ? `${id}-help ${id}-error` : `${id}-help`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => {
          setDragging(false);
        }}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void take(firstFile(event.dataTransfer));
        }}
        onPaste={(event) => {
          const file = firstFile(event.clipboardData);
          if (!file) return;
          event.preventDefault();
          event.stopPropagation(); // the page-wide paste fallback must not take it too
          void take(file);
        }}
      >
        <div class="drop-thumb">
          {value &&
            (video ? (
              <video src={value} muted playsInline preload="metadata" />
            ) : (
              <img src={value} alt="" />
            ))}
          {/* Out of sight beside a picture, but always there for aria-describedby. */}
          <span id={`${id}-help`} class={value ? "visually-hidden" : undefined}>
            {t(`${media}.drop`)}
          </span>
        </div>
        <div class="drop-actions">
          <input
            id={id}
            type="file"
            accept={ACCEPTED[media]}
            onChange={(event) => {
              void take(event.currentTarget.files?.[0]);
              event.currentTarget.value = "";
            }}
          />
          {value && (
            <button
              type="button"
              onClick={() => {
                onChange(undefined);
              }}
            >
              {t("image.remove")}
            </button>
          )}
        </div>
      </div>
      <FieldError id={`${id}-error`} error={shownError} />
    </div>
  );
}
