// Which webhook URLs a submission may give (docs/api.md §6): http(s) only, no
// credentials in the URL, a host WEBHOOK_ALLOWED_HOSTS lists (when it lists any), and
// only while a signing secret is configured. Checked at submission, so that a job never
// carries a webhook it may not call; the sender checks the host again before each call.
import { RequestError, invalidField } from "../contract/errors.js";

export interface WebhookPolicy {
  /** Whether WEBHOOK_SECRET is set: without it nothing could be signed. */
  enabled: boolean;
  /** Lowercase host names or addresses; empty = any host. */
  allowedHosts: readonly string[];
}

const FIELD = "webhook";

/** A URL's host as WEBHOOK_ALLOWED_HOSTS writes it: lowercase, IPv6 without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
}

export function isAllowedHost(url: URL, policy: WebhookPolicy): boolean {
  if (policy.allowedHosts.length === 0) return true;
  const host = hostOf(url);
  return policy.allowedHosts.some((allowed) => allowed.replace(/^\[(.*)\]$/, "$1") === host);
}

/** Throws the refusal of a webhook URL the policy does not allow; nothing without one. */
export function checkWebhook(url: string | undefined, policy: WebhookPolicy): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidField(FIELD, "must be an absolute http or https URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalidField(FIELD, "must be an http or https URL");
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw invalidField(FIELD, "must not carry credentials (user:password@)");
  }
  if (!policy.enabled) {
    throw notAllowed("webhooks are off on this server (WEBHOOK_SECRET is not set)");
  }
  if (!isAllowedHost(parsed, policy)) {
    throw notAllowed(`host ${hostOf(parsed)} is not one WEBHOOK_ALLOWED_HOSTS lists`);
  }
}

function notAllowed(message: string): RequestError {
  return new RequestError("webhook_not_allowed", `${FIELD}: ${message}`, [
    { field: FIELD, message },
  ]);
}

/** A URL fit for a log line: origin and path, never the query (it may carry a token). */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? "?…" : ""}`;
  } catch {
    return "<unparsable URL>";
  }
}
