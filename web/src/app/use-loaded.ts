import { useEffect, useState } from 'react';

export type Loaded<T> = { status: 'loading' } | { status: 'loaded'; value: T } | { status: 'failed'; error: unknown };

/**
 * Loads something for a page, again when `key` changes. Until the answer for the current key is
 * in, it is loading; a late answer for an old key is dropped.
 */
export function useLoaded<T>(load: (() => Promise<T>) | undefined, key: string): Loaded<T> {
  const [answer, setAnswer] = useState<{ key: string; loaded: Loaded<T> } | undefined>();
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (value) => live && setAnswer({ key, loaded: { status: 'loaded', value } }),
      (error: unknown) => live && setAnswer({ key, loaded: { status: 'failed', error } }),
    );
    return () => {
      live = false;
    };
    // `key` says when to load again; `load` is a new closure on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return answer?.key === key ? answer.loaded : { status: 'loading' };
}
