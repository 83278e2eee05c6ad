// Which URLs belong to the legacy FramePack-FastAPI routes, so that every refusal made
// before a route runs (a missing key, a malformed URL, a busy intake) takes the shape
// of the surface asked: FastAPI's {"detail": ...} there, the /api envelope elsewhere.
// The patterns are the legacy routes' own, noted as they are registered.
import type { RouteOptions } from "fastify";

/** A route pattern ("/status/:job_id") as a matcher of request paths. */
function patternRegExp(pattern: string): RegExp {
  const parts = pattern
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${parts.join("/")}$`);
}

export class LegacyPaths {
  readonly #patterns = new Map<string, RegExp>();

  /** An onRoute hook for the legacy plugin: remembers each route's pattern. */
  readonly note = (route: RouteOptions): void => {
    if (!this.#patterns.has(route.url)) this.#patterns.set(route.url, patternRegExp(route.url));
  };

  /** Whether a request URL (query string and all) is one of a legacy route's paths. */
  readonly matches = (url: string): boolean => {
    const path = url.split("?")[0] ?? "";
    for (const pattern of this.#patterns.values()) if (pattern.test(path)) return true;
    return false;
  };
}
