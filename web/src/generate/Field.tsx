// One form field: label, input, range/default hint, and the server's message for it.
import type { ComponentChildren } from "preact";
import { useT, type MessageKey } from "../i18n";
import type { FieldSpec } from "./fields";
import type { FieldValue } from "./form-state";
import { ObjectsField } from "./ObjectsField";

interface FieldProps {
  field: FieldSpec;
  value: FieldValue;
  error: string | undefined;
  onChange: (value: FieldValue) => void;
}

function useHint(field: FieldSpec): string {
  const t = useT();
  const parts: string[] = [];
  if (field.min !== undefined && field.max !== undefined)
    parts.push(t("form.range", { min: field.min, max: field.max }));
  if (field.kind !== "bool" && field.initial !== undefined && field.initial !== "")
    parts.push(t("form.default", { value: String(field.initial) }));
  if (field.initial === undefined) parts.push(t("form.optional"));
  return parts.join(" · ");
}

/**
 * The on-screen keyboard for a number. iOS's digit pads have no minus sign, so a field
 * that takes negative numbers (seed -1, priority, LoRA scale) gets the full keyboard.
 */
export function numberInputMode(
  min: number | undefined,
  integer: boolean,
): "numeric" | "decimal" | "text" {
  if (min === undefined || min < 0) return "text";
  return integer ? "numeric" : "decimal";
}

export function Field({ field, value, error, onChange }: FieldProps) {
  if (Array.isArray(value)) {
    return <ObjectsField field={field} rows={value} error={error} onChange={onChange} />;
  }
  return <SingleField field={field} value={value} error={error} onChange={onChange} />;
}

function SingleField({ field, value, error, onChange }: FieldProps & { value: string | boolean }) {
  const t = useT();
  const hint = useHint(field);
  const id = `field-${field.name}`;
  const describedBy = `${id}-hint ${id}-error`;
  const label = t(`field.${field.name}` as MessageKey);
  const input = (event: Event) => {
    onChange((event.currentTarget as HTMLInputElement).value);
  };
  let control: ComponentChildren;
  if (field.kind === "bool") {
    return (
      <div class={`field field-bool${error ? " has-error" : ""}`}>
        <label>
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            aria-describedby={describedBy}
            onChange={(event) => {
              onChange(event.currentTarget.checked);
            }}
          />{" "}
          {label}
        </label>
        <FieldError id={`${id}-error`} error={error} />
      </div>
    );
  } else if (field.kind === "select") {
    control = (
      <select id={id} value={String(value)} aria-describedby={describedBy} onChange={input}>
        {field.options?.map((option) => (
          <option key={option} value={option}>
            {t(`option.${option}` as MessageKey)}
          </option>
        ))}
      </select>
    );
  } else if (field.multiline) {
    control = (
      <textarea
        id={id}
        rows={field.kind === "lines" ? 4 : 3}
        value={String(value)}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onInput={input}
      />
    );
  } else {
    const numeric = field.kind === "int" || field.kind === "number";
    control = (
      <input
        id={id}
        // Text, not number: the browser must not swallow what the server should judge.
        type="text"
        inputMode={numeric ? numberInputMode(field.min, field.kind === "int") : "text"}
        value={String(value)}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onInput={input}
      />
    );
  }
  return (
    <div class={`field${field.multiline ? " field-wide" : ""}${error ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      {control}
      <small id={`${id}-hint`} class="hint">
        {hint}
      </small>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={id} class="field-error" role="alert">
      {error}
    </p>
  ) : null;
}
