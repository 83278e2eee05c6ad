// The contract's schemas (src/contract/requests.ts) read as data: a TypeBox schema is a
// plain JSON Schema object, so the page takes defaults, ranges and choices from it instead
// of writing them again.

/** The JSON Schema keywords the page reads. */
export interface JsonSchema {
  type?: string;
  const?: unknown;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  anyOf?: readonly JsonSchema[];
  items?: JsonSchema;
}

/** The schema a value itself follows: past a union with null, and into an array's items. */
function valueSchema(schema: JsonSchema): JsonSchema {
  const members = schema.anyOf?.filter((member) => member.type !== "null") ?? [];
  const only = members.length === 1 ? members[0] : undefined;
  if (only) return valueSchema(only);
  return schema.items ? valueSchema(schema.items) : schema;
}

/**
 * The numbers a field takes: `minimum` (or an `exclusiveMinimum`, given as the bound
 * itself) and `maximum`, of the value itself (see valueSchema).
 */
export function schemaRange(schema: JsonSchema): { min?: number; max?: number } {
  const { minimum, exclusiveMinimum, maximum } = valueSchema(schema);
  return { min: minimum ?? exclusiveMinimum, max: maximum };
}

/** The choices of a union of string literals, in the schema's order. */
export function schemaChoices(schema: JsonSchema): string[] {
  return (schema.anyOf ?? []).flatMap((member) =>
    typeof member.const === "string" ? [member.const] : [],
  );
}
