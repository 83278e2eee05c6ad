// The full-size viewer: one output large (a picture, or a video that plays), its label,
// and the ones before and after it in the gallery. A modal dialog: focus moves into it and
// back to what opened it; Left and Right step through the outputs, Escape closes.
import { useEffect, useRef } from "preact/hooks";
import { useT } from "../i18n";
import type { GalleryOutput } from "./gallery-items";
import { useOutputUrl } from "./use-output-url";

interface ViewerProps {
  outputs: readonly GalleryOutput[];
  /** The output shown, an index into `outputs`. */
  at: number;
  onMove: (at: number) => void;
  onClose: () => void;
}

/** "#3 · a lighthouse" for a batch image, the prompt alone otherwise. */
export function outputLabel(output: GalleryOutput): string {
  return output.index === undefined ? output.prompt : `#${output.index + 1} · ${output.prompt}`;
}

export function Viewer({ outputs, at, onMove, onClose }: ViewerProps) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const output = outputs[at];
  const source = useOutputUrl(output?.url ?? "", stage);

  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement as HTMLElement | null;
    if (element && !element.open) element.showModal();
    return () => {
      // Closed first: while the modal is open, everything outside it is inert.
      element?.close();
      opener?.focus();
    };
  }, []);

  if (!output) return null;
  const step = (by: number) => {
    const next = at + by;
    if (next >= 0 && next < outputs.length) onMove(next);
  };
  const label = outputLabel(output);
  return (
    <dialog
      ref={dialog}
      class="viewer"
      aria-labelledby="viewer-title"
      aria-describedby="viewer-position"
      onCancel={(event) => {
        event.preventDefault(); // closed by its owner, which unmounts it
        onClose();
      }}
      onKeyDown={(event) => {
        if (event.key === "ArrowLeft") step(-1);
        else if (event.key === "ArrowRight") step(1);
        else return;
        event.preventDefault();
      }}
    >
      <header class="viewer-head">
        <h2 id="viewer-title">{label}</h2>
        <p id="viewer-position">
          {t("viewer.position", { at: at + 1, total: outputs.length })} ·{" "}
          {t("gallery.seed", { seed: output.seed })} · {output.width}×{output.height}
        </p>
        <button type="button" class="viewer-close" onClick={onClose}>
          {t("viewer.close")}
        </button>
      </header>
      <div class="viewer-stage" ref={stage}>
        {output.kind === "video" ? (
          <video
            key={output.url}
            src={source}
            controls
            autoPlay
            loop
            playsInline
            width={output.width}
            height={output.height}
          />
        ) : (
          <img
            key={output.url}
            src={source}
            alt={label}
            width={output.width}
            height={output.height}
          />
        )}
      </div>
      <footer class="viewer-nav">
        <button
          type="button"
          disabled={at === 0}
          onClick={() => {
            step(-1);
          }}
        >
          {t("viewer.previous")}
        </button>
        <button
          type="button"
          disabled={at === outputs.length - 1}
          onClick={() => {
            step(1);
          }}
        >
          {t("viewer.next")}
        </button>
      </footer>
    </dialog>
  );
}
