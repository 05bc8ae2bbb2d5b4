import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from './api-client';
import { type ApiError, toApiError } from './api-error';

export interface PagedListState<T> {
  items: T[];
  error: ApiError | null;
  isLoading: boolean;
  hasMore: boolean;
  /** Appends the next page. */
  loadMore: () => void;
  /** Loads the first page again, replacing the items. */
  reload: () => void;
  /** Changes the loaded items locally, such as after a create call. */
  updateItems: (update: (items: T[]) => T[]) => void;
}

/**
 * Loads a cursor-paged list route page by page. The first page loads on mount and whenever
 * `key` changes. Results that arrive after a newer load started are dropped.
 */
export function usePagedList<T>(
  loadPage: (cursor: string | undefined) => Promise<Page<T>>,
  key: string,
): PagedListState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isLoading, setLoading] = useState(true);
  const loadPageRef = useRef(loadPage);
  loadPageRef.current = loadPage;
  const loadIdRef = useRef(0);

  const load = useCallback((cursor: string | undefined) => {
    loadIdRef.current += 1;
    const loadId = loadIdRef.current;
    setLoading(true);
    setError(null);
    loadPageRef.current(cursor).then(
      (page) => {
        if (loadId !== loadIdRef.current) return;
        setItems((current) => (cursor ? [...current, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (reason: unknown) => {
        if (loadId !== loadIdRef.current) return;
        setError(toApiError(reason));
        setLoading(false);
      },
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the reload trigger.
  useEffect(() => {
    load(undefined);
    return () => {
      loadIdRef.current += 1;
    };
  }, [key, load]);

  return {
    items,
    error,
    isLoading,
    hasMore: nextCursor !== null,
    loadMore: () => {
      if (nextCursor && !isLoading) load(nextCursor);
    },
    reload: () => load(undefined),
    updateItems: (update) => setItems(update),
  };
}

/**
 * Loads every page of a list route, at most `maxPages` of them, for pickers that need the
 * whole list. Lists longer than that are cut, so pickers stay responsive.
 */
export async function loadAllPages<T>(
  loadPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 10,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pageCount = 0; pageCount < maxPages; pageCount += 1) {
    const page = await loadPage(cursor);
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}
