import type { MediaItem } from '@immichvr/shared';
import { useEffect, useState } from 'react';
import { api } from './client';

export type LibraryState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: MediaItem[] };

/** The whole library, page by page (the gallery issue replaces this with a virtualised timeline). */
export function useLibrary(): LibraryState {
  const [state, setState] = useState<LibraryState>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const items: MediaItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.mediaPage(cursor);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && !cancelled);
      if (!cancelled) setState({ status: 'ready', items });
    })().catch((error: Error) => {
      if (!cancelled) setState({ status: 'error', message: error.message });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return state;
}
