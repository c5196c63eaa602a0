import type { MediaDetail } from '@immichvr/shared';
import { useEffect, useState } from 'react';
import { loadMediaDetail } from './media-loads';
import { useMediaEvents } from './use-media-events';

/**
 * One item's detail, fetched again whenever a newer depth map for it is announced (reprocessed
 * here or anywhere), so the view can swap it in place.
 */
export function useMediaDetail(id: string | null): {
  item: MediaDetail | null;
  error: string | null;
} {
  const [item, setItem] = useState<MediaDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    if (!id) return;
    let live = true;
    loadMediaDetail(id, revision > 0).then(
      (detail) => {
        if (!live) return;
        performance.mark('media-detail:ready');
        setItem(detail);
        setError(null);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id, revision]);
  useMediaEvents({
    onStatus: (event) => {
      if (event.mediaId === id && event.depthMap && event.depthMap.id !== item?.depthMap?.id)
        setRevision((r) => r + 1);
    },
    onResync: () => setRevision((r) => r + 1),
  });
  return { item: id && item?.id === id ? item : null, error: id ? error : null };
}
