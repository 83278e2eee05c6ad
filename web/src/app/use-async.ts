// Loads something once per `key` change; errors are kept for display.
import { useEffect, useRef, useState } from "preact/hooks";

export interface AsyncState<T> {
  value: T | undefined;
  error: Error | undefined;
}

export function useAsync<T>(load: () => Promise<T>, key: unknown): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ value: undefined, error: undefined });
  // `load` is a fresh closure each render, so it is no reason to load again (`key` is): the
  // effect calls the one of the latest render.
  const latestLoad = useRef(load);
  latestLoad.current = load;
  useEffect(() => {
    let current = true;
    latestLoad.current().then(
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
  }, [key]);
  return state;
}
