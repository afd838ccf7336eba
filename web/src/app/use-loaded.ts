import { useEffect, useState } from 'react';

export type Loaded<T> = { status: 'loading' } | { status: 'loaded'; value: T } | { status: 'failed'; error: unknown };

export interface Answer<T> {
  key: string;
  loaded: Loaded<T>;
}

/**
 * Loads something for a page, again when `key` or `refresh` changes. A new `key` is something
 * else to show: until its answer is in, it is loading. A new `refresh` is the same thing changed
 * (a plan someone published while the page was open): the last answer stays on the page until the
 * new one replaces it, so a reader is never left with "Loading…" in place of what they were reading.
 * A late answer for an old key or refresh is dropped.
 */
export function useLoaded<T>(load: (() => Promise<T>) | undefined, key: string, refresh = ''): Loaded<T> {
  const [answer, setAnswer] = useState<Answer<T> | undefined>();
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
    // `key` and `refresh` say when to load again; `load` is a new closure on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, refresh]);
  return answerFor(answer, key);
}

/** What a page shows: the last answer while it is for the same key, else loading. */
export function answerFor<T>(answer: Answer<T> | undefined, key: string): Loaded<T> {
  return answer?.key === key ? answer.loaded : { status: 'loading' };
}
