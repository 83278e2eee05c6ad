// The request defaults, read from the schemas (./requests.ts), their one home.
import type { Static, TObject } from "typebox";
import { Value } from "typebox/value";
import type { DefaultedKeys, Resolved } from "./requests.js";

/**
 * A validated request with every absent defaulted field filled from its schema. JSON
 * bodies arrive filled already (ajv's useDefaults); other callers (the legacy form, the
 * tests) need not fill them. The caller's object is left as it is.
 */
export function withDefaults<S extends TObject>(schema: S, request: Static<S>): Resolved<S> {
  return Value.Default(schema, { ...request }) as Resolved<S>;
}

/** Only the defaults of a schema: its defaulted fields and their values. */
export function defaultsOf<S extends TObject>(
  schema: S,
): Pick<Resolved<S>, DefaultedKeys<S> & keyof Resolved<S>> {
  return Value.Default(schema, {}) as Resolved<S>;
}
