// An image input: drop a file on it, paste while it has focus, or pick a file.
import { useState } from "preact/hooks";
import { useT, type MessageKey } from "../i18n";
import { FieldError } from "./Field";
import { firstImage, readAsDataUri } from "./read-image";

interface ImageDropProps {
  name: string;
  value: string | undefined;
  error: string | undefined;
  onChange: (dataUri: string | undefined) => void;
}

export function ImageDrop({ name, value, error, onChange }: ImageDropProps) {
  const t = useT();
  const [dragging, setDragging] = useState(false);
  const [unreadable, setUnreadable] = useState(false);
  const id = `image-${name}`;
  const shownError = unreadable ? t("image.unreadable") : error;
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
        data-image-slot={name}
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
          void take(firstImage(event.dataTransfer));
        }}
        onPaste={(event) => {
          const file = firstImage(event.clipboardData);
          if (!file) return;
          event.preventDefault();
          event.stopPropagation(); // the page-wide paste fallback must not take it too
          void take(file);
        }}
      >
        <div class="drop-thumb">
          {value && <img src={value} alt="" />}
          {/* Out of sight beside a picture, but always there for aria-describedby. */}
          <span id={`${id}-help`} class={value ? "visually-hidden" : undefined}>
            {t("image.drop")}
          </span>
        </div>
        <div class="drop-actions">
          <input
            id={id}
            type="file"
            accept="image/png,image/jpeg,image/webp"
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
