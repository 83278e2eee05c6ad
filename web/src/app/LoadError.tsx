// Why something could not be loaded (a refused key, a server gone); what was shown before
// stays. A server that cannot be reached at all is said in the page's words, not the
// browser's ("Failed to fetch"), and where the caller asks again on its own (the live
// lists, the job on Generate), that it does.
import { FramePackError } from "../../../src/client/index";
import { useT } from "../i18n";

interface LoadErrorProps {
  error: Error | undefined;
  /** The caller asks again by itself: say so while the server is unreachable. */
  retrying?: boolean;
}

export function LoadError({ error, retrying = false }: LoadErrorProps) {
  const t = useT();
  if (!error) return null;
  const unreachable = !(error instanceof FramePackError) && error.name !== "AbortError";
  return (
    <p class="form-errors" role="alert" data-testid={unreachable ? "server-down" : undefined}>
      {unreachable ? t(retrying ? "error.unreachable" : "error.network") : error.message}
    </p>
  );
}
