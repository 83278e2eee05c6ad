// Settings from a PNG: a PNG of ours (or any with an A1111-style `parameters` text) dropped
// onto the form, outside the picture fields, or chosen here, fills prompt, seed, steps,
// size, guidance and the rest of the current form from its metadata.
import type { TargetedDragEvent } from "preact";
import { useState } from "preact/hooks";
import type { JobKind } from "../api/types";
import { useT } from "../i18n";
import { FORMS } from "./fields";
import type { FormState } from "./form-state";
import { formFillFromPng } from "./png-parameters";

type Outcome = "filled" | "none";

export interface PngSettings {
  notice: { file: string; outcome: Outcome } | undefined;
  take: (file: File) => Promise<void>;
  /** For the form element: a dropped PNG that no picture field took fills the form. */
  formHandlers: {
    onDragOver: (event: TargetedDragEvent<HTMLFormElement>) => void;
    onDrop: (event: TargetedDragEvent<HTMLFormElement>) => void;
  };
}

/** The first PNG among dropped files. */
function pngOf(data: DataTransfer | null): File | undefined {
  return [...(data?.files ?? [])].find((file) => file.type === "image/png");
}

export function usePngSettings(
  kind: JobKind,
  update: (change: (form: FormState) => FormState) => void,
): PngSettings {
  const [notice, setNotice] = useState<PngSettings["notice"]>();
  const take = async (file: File) => {
    const names = new Set(FORMS[kind].fields.map((field) => field.name));
    const fill = await formFillFromPng(names, new Uint8Array(await file.arrayBuffer())).catch(
      () => undefined, // a damaged file holds no settings
    );
    if (fill) {
      update((old) => ({
        ...old,
        values: { ...old.values, ...fill.values },
        ...(fill.loras ? { loras: fill.loras } : {}),
      }));
    }
    setNotice({ file: file.name, outcome: fill ? "filled" : "none" });
  };
  return {
    notice,
    take,
    formHandlers: {
      onDragOver: (event) => {
        if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
      },
      onDrop: (event) => {
        if (event.defaultPrevented) return; // a picture field took it
        const file = pngOf(event.dataTransfer);
        if (!file) return;
        event.preventDefault();
        void take(file);
      },
    },
  };
}

export function PngSettingsPicker({ settings }: { settings: PngSettings }) {
  const t = useT();
  const { notice } = settings;
  return (
    <div class="png-settings">
      <label for="png-settings">{t("png.label")}</label>{" "}
      <input
        id="png-settings"
        type="file"
        accept="image/png"
        aria-describedby="png-settings-help"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = "";
          if (file) void settings.take(file);
        }}
      />
      <p id="png-settings-help" class="hint">
        {t("png.help")}
      </p>
      <p role="status" class="notice">
        {notice &&
          t(notice.outcome === "filled" ? "png.filled" : "png.none", { file: notice.file })}
      </p>
    </div>
  );
}
