// The LoRA stack of a request: pick from the server's LoRA folder, one scale each.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { LoadError } from "../app/LoadError";
import { useAsync } from "../app/use-async";
import { useT } from "../i18n";
import { FieldError, numberInputMode } from "./Field";
import { LORA_SCALE } from "./fields";
import type { LoraChoice } from "./form-state";

interface LoraPickerProps {
  value: LoraChoice[];
  error: string | undefined;
  onChange: (loras: LoraChoice[]) => void;
  /** Changes when the API key does, so the list is fetched again. */
  session: number;
}

export function LoraPicker({ value, error, onChange, session }: LoraPickerProps) {
  const t = useT();
  const loraList = useAsync(() => api.loras(), session);
  const available = loraList.value?.loras ?? [];
  const unused = available.filter((lora) => !value.some((chosen) => chosen.name === lora.name));
  const [pick, setPick] = useState("");
  const picked = unused.some((lora) => lora.name === pick) ? pick : (unused[0]?.name ?? "");
  const replace = (index: number, choice: LoraChoice | undefined) => {
    onChange(value.flatMap((old, at) => (at !== index ? [old] : choice ? [choice] : [])));
  };
  return (
    <fieldset class="field field-wide lora-picker">
      <legend>{t("field.lora_paths")}</legend>
      <LoadError error={loraList.error} />
      {!loraList.error && available.length === 0 && value.length === 0 && (
        <p class="hint">{t("lora.none")}</p>
      )}
      <ul class="lora-stack">
        {value.map((lora, index) => (
          <li key={lora.name}>
            <span class="lora-name">{lora.name}</span>
            <input
              // Text kept as typed ("0.", "-"): the request turns it into a number.
              type="text"
              inputMode={numberInputMode(LORA_SCALE.min, false)}
              value={lora.scale}
              aria-label={t("lora.scale", { name: lora.name })}
              onInput={(event) => {
                replace(index, { ...lora, scale: event.currentTarget.value });
              }}
            />
            <button
              type="button"
              aria-label={t("lora.remove", { name: lora.name })}
              onClick={() => {
                replace(index, undefined);
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {unused.length > 0 && (
        <div class="lora-add">
          <select
            aria-label={t("lora.pick")}
            value={picked}
            onChange={(event) => {
              setPick(event.currentTarget.value);
            }}
          >
            {unused.map((lora) => (
              <option key={lora.name} value={lora.name}>
                {lora.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => {
              onChange([...value, { name: picked, scale: LORA_SCALE.initial }]);
            }}
          >
            {t("lora.add")}
          </button>
        </div>
      )}
      <FieldError id="field-lora-error" error={error} />
    </fieldset>
  );
}
