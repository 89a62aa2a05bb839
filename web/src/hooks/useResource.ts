// Loading one API resource; reload() fetches again without flashing the old data away.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isRefusal } from '../api/client.ts';
import { reportRefused } from '../api/key.ts';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useResource<T>(fetcher: ((signal: AbortSignal) => Promise<T>) | null, deps: readonly unknown[]): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  // A different resource: forget the old one's data.
  useEffect(() => {
    setData(undefined);
    setError(undefined);
  }, deps);

  useEffect(() => {
    const fetch = fetcherRef.current;
    if (fetch === null) return;
    const controller = new AbortController();
    setLoading(true);
    fetch(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        const failure = reason instanceof Error ? reason : new Error(String(reason));
        if (isRefusal(failure)) reportRefused(failure.message);
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
