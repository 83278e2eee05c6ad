// Idempotency-Key digests (docs/api.md §6). The key is stored only as a digest together
// with the submitter's API key hash, so that one tenant's keys can neither be read back
// nor met by another tenant's submissions; the request is compared by a digest of its
// canonical form: the route, and the validated body (defaults filled, keys sorted, the
// pictures' base64 included), so that the same request sent again matches.
import { createHash } from "node:crypto";
import type { IdempotencyClaim } from "../store/idempotency-keys.js";

/** How long a key answers with its job (docs/api.md §6). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;

/** The claim a submission makes with `key` for `request` sent to `route`. */
export function idempotencyClaim(
  apiKeyHash: string | null,
  key: string,
  route: string,
  request: unknown,
  now = Date.now(),
): IdempotencyClaim {
  return {
    keyDigest: sha256(`idempotency\0${apiKeyHash ?? ""}\0${key}`),
    bodyHash: sha256(`${route}\0${canonicalJson(request)}`),
    expiresAt: now + IDEMPOTENCY_WINDOW_MS,
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON with every object's keys sorted: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : inner,
  );
}
