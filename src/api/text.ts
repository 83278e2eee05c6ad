// Text that cannot be encoded as UTF-8: a lone UTF-16 surrogate, which JSON can carry
// ("\ud800") and a form field sent as UTF-16 can too. Such a prompt passes every length
// check and then fails the job in the engine's tokenizer, so a request holding one is
// refused at the door (422), naming the field.

declare global {
  interface String {
    /** ES2024 (Node 20 and later): false when the string holds a lone surrogate. */
    isWellFormed(): boolean;
  }
}

/** Whether `text` can be encoded as UTF-8 (it holds no lone surrogate). */
export function isEncodable(text: string): boolean {
  return text.isWellFormed();
}

/** What the refusal says about such a field. */
export const UNENCODABLE_TEXT =
  "is not valid Unicode text (it holds a lone surrogate such as \\ud800)";

/**
 * The first field of a parsed JSON body whose text (a value, or a key) cannot be encoded
 * as UTF-8, named as validation errors name fields ("prompts[2]", "a.b"); undefined when
 * every string is fine. Walks breadth first without recursion, so a deeply nested
 * body cannot overflow the call stack.
 */
export function unencodableField(body: unknown): string | undefined {
  const pending: [value: unknown, field: string][] = [[body, ""]];
  for (const [value, field] of pending) {
    if (typeof value === "string") {
      if (!isEncodable(value)) return field || "body";
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, `${field}[${String(index)}]`]));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const named = field ? `${field}.${key}` : key;
        if (!isEncodable(key)) return named;
        pending.push([item, named]);
      }
    }
  }
  return undefined;
}
