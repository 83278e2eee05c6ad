// A field holding a list of objects (timed prompts, keyframes, control images): one row per
// object, one input per property, rows added and removed by the person. Generic over the
// columns a field declares in fields.ts.
import { useT, type MessageKey } from "../i18n";
import type { ColumnSpec, FieldSpec } from "./fields";
import type { ObjectRow } from "./form-state";
import { FieldError, numberInputMode } from "./Field";
import { readAsDataUri } from "./read-image";

interface ObjectsFieldProps {
  field: FieldSpec;
  rows: ObjectRow[];
  error: string | undefined;
  onChange: (rows: ObjectRow[]) => void;
}

export function ObjectsField({ field, rows, error, onChange }: ObjectsFieldProps) {
  const t = useT();
  const id = `field-${field.name}`;
  const columns = field.columns ?? [];
  const label = t(`field.${field.name}` as MessageKey);
  const setCell = (index: number, name: string, text: string) => {
    onChange(rows.map((row, at) => (at === index ? { ...row, [name]: text } : row)));
  };
  const empty = () => Object.fromEntries(columns.map((column) => [column.name, ""]));
  return (
    <fieldset
      id={id}
      class={`field field-wide field-objects${error ? " has-error" : ""}`}
      aria-describedby={`${id}-error`}
    >
      <legend>{label}</legend>
      {rows.map((row, index) => (
        <div class="object-row" key={index} role="group" aria-label={`${label} ${index + 1}`}>
          {columns.map((column) => (
            <Cell
              key={column.name}
              id={`${id}-${index}-${column.name}`}
              label={t(`column.${field.name}.${column.name}` as MessageKey)}
              column={column}
              value={row[column.name] ?? ""}
              onChange={(text) => {
                setCell(index, column.name, text);
              }}
            />
          ))}
          <button
            type="button"
            class="remove-row"
            onClick={() => {
              onChange(rows.filter((_, at) => at !== index));
            }}
          >
            {t("form.removeRow")}
          </button>
        </div>
      ))}
      <button
        type="button"
        class="add-row"
        onClick={() => {
          onChange([...rows, empty()]);
        }}
      >
        {t("form.addRow", { what: label })}
      </button>
      <FieldError id={`${id}-error`} error={error} />
    </fieldset>
  );
}

interface CellProps {
  id: string;
  label: string;
  column: ColumnSpec;
  value: string;
  onChange: (text: string) => void;
}

function Cell({ id, label, column, value, onChange }: CellProps) {
  const t = useT();
  if (column.kind === "image") {
    return (
      <label class="object-cell object-image" for={id}>
        <span>{label}</span>
        {value ? <img src={value} alt={label} /> : null}
        <input
          id={id}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void readAsDataUri(file).then(onChange);
          }}
        />
        {value ? (
          <button
            type="button"
            onClick={() => {
              onChange("");
            }}
          >
            {t("image.remove")}
          </button>
        ) : null}
      </label>
    );
  }
  const numeric = column.kind !== "text";
  const range =
    column.min !== undefined && column.max !== undefined
      ? t("form.range", { min: column.min, max: column.max })
      : undefined;
  return (
    <label class="object-cell" for={id}>
      <span>{label}</span>
      <input
        id={id}
        type="text"
        inputMode={numeric ? numberInputMode(column.min, column.kind === "int") : "text"}
        placeholder={range}
        value={value}
        onInput={(event) => {
          onChange(event.currentTarget.value);
        }}
      />
    </label>
  );
}
