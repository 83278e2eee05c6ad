// Loads something once per `key` change; errors are kept for display.
import { useEffect, useState } from "preact/hooks";

export interface AsyncState<T> {
  value: T | undefined;
  error: Error | undefined;
}

export function useAsync<T>(load: () => Promise<T>, key: unknown): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ value: undefined, error: undefined });
  useEffect(() => {
    let current = true;
    load().then(
      (value) => {
        if (current) setState({ value, error: undefined });
      },
      (error: unknown) => {
        if (current) setState((previous) => ({ ...previous, error: error as Error }));
      },
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `key` says when to load again.
  }, [key]);
  return state;
}
