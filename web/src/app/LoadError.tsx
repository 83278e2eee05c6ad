// Why something could not be loaded (a refused key, a server gone); what was shown before stays.
export function LoadError({ error }: { error: Error | undefined }) {
  return error ? (
    <p class="form-errors" role="alert">
      {error.message}
    </p>
  ) : null;
}
