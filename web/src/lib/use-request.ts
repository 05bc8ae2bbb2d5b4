import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, toApiError } from './api-error';

export interface LoadState<T> {
  data: T | undefined;
  error: ApiError | null;
  isLoading: boolean;
  /** Loads again, keeping the previous data visible until the new data arrives. */
  reload: () => void;
  /** Replaces the data locally, such as after a create call returned the new item. */
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/**
 * Runs `load` when the component mounts and whenever `key` changes, and tracks its result.
 * A result that arrives after the key changed or the component unmounted is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): LoadState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [isLoading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `generation` trigger reloads, and `load` is read through a ref so that a new closure on each render does not reload.
  useEffect(() => {
    let isCurrent = true;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (result) => {
        if (!isCurrent) return;
        setData(result);
        setLoading(false);
      },
      (reason: unknown) => {
        if (!isCurrent) return;
        setError(toApiError(reason));
        setLoading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, isLoading, reload, setData };
}

export interface SubmitState<A extends unknown[], R> {
  /** Runs the action and resolves with its result, or with undefined when it failed. */
  run: (...args: A) => Promise<R | undefined>;
  isPending: boolean;
  error: ApiError | null;
  clearError: () => void;
}

/**
 * Tracks one user action, such as a form submit: `isPending` while it runs (to disable or
 * mark the button `loading`) and the `ApiError` it failed with. A second `run` while one is
 * pending is ignored, so a double click sends one request.
 */
export function useSubmit<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
): SubmitState<A, R> {
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const isRunning = useRef(false);

  const run = async (...args: A): Promise<R | undefined> => {
    if (isRunning.current) return undefined;
    isRunning.current = true;
    setPending(true);
    setError(null);
    try {
      return await action(...args);
    } catch (reason) {
      setError(toApiError(reason));
      return undefined;
    } finally {
      isRunning.current = false;
      setPending(false);
    }
  };

  const clearError = useCallback(() => setError(null), []);
  return { run, isPending, error, clearError };
}
