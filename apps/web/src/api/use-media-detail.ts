import type { MediaDetail } from '@immichvr/shared';
import { useEffect, useState } from 'react';
import { api } from './client';
import { useMediaEvents } from './use-media-events';

/** Details asked for ahead (a photo just selected), taken once by the view that opens it. */
const ahead = new Map<string, Promise<MediaDetail>>();

export function prefetchMediaDetail(id: string): Promise<MediaDetail> {
  const detail = ahead.get(id) ?? api.mediaDetail(id);
  ahead.set(id, detail);
  detail.catch(() => ahead.delete(id));
  return detail;
}

/**
 * One item's detail, fetched again whenever a newer depth map for it is announced (reprocessed
 * here or anywhere), so the view can swap it in place.
 */
export function useMediaDetail(id: string): { item: MediaDetail | null; error: string | null } {
  const [item, setItem] = useState<MediaDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    let live = true;
    const early = revision === 0 ? ahead.get(id) : undefined;
    ahead.delete(id);
    (early ?? api.mediaDetail(id)).then(
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
  return { item: item?.id === id ? item : null, error };
}
