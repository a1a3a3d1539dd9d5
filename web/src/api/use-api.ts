import { useCallback, useEffect, useState } from 'react';
import { get, type Query } from './client';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GET a path and re-fetch when it (or its query) changes. Superseded requests are aborted; the previous data
 * stays on screen (with loading=true) until the new answer arrives, so filtering does not flash an empty page.
 */
export function useApi<T>(path: string | null, query?: Query): Resource<T> {
  const key = path === null ? null : JSON.stringify([path, query ?? {}]);
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error }>({ key: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null || path === null) return;
    const controller = new AbortController();
    get<T>(path, query, controller.signal).then(
      (data) => setState({ key, data }),
      (error: Error) => {
        if (!controller.signal.aborted) setState({ key, error });
      },
    );
    return () => controller.abort();
  }, [key, generation]); // the key stands for path and query
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key;
  return { data: state.data, error: current ? state.error : undefined, loading: key !== null && !current, reload };
}
