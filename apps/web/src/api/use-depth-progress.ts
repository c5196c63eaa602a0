import type { MediaDetail, ProcessingStatus } from '@immichvr/shared';
import { useEffect, useState } from 'react';
import { depthVideoOf } from '../scene/use-video-player';
import { useMediaEvents } from './use-media-events';

export interface DepthProgress {
  status: ProcessingStatus | null;
  /** Percent of the newest job, while it runs. */
  progress: number | null;
  lastError: string | null;
}

/** How a video's depth is coming along, live: from its detail, then from status events. */
export function useDepthProgress(item: MediaDetail | null): DepthProgress {
  const [live, setLive] = useState<DepthProgress>({
    status: null,
    progress: null,
    lastError: null,
  });
  useEffect(() => {
    setLive({
      status: item?.processingStatus ?? null,
      progress: item?.processingProgress ?? null,
      lastError: item?.lastError ?? null,
    });
  }, [item]);
  useMediaEvents({
    onStatus: (event) => {
      if (event.mediaId === item?.id)
        setLive({ status: event.status, progress: event.progress, lastError: event.lastError });
    },
  });
  return live;
}

/** What a video shown flat says of its depth ("depth 42%"); null once it plays in depth. */
export function describeVideoDepth(item: MediaDetail | null, live: DepthProgress): string | null {
  if (!item || item.mediaType !== 'video' || depthVideoOf(item)) return null;
  switch (live.status) {
    case 'processing':
      return `depth ${live.progress ?? 0}%`;
    case 'pending':
    case 'queued':
      return 'depth queued';
    case 'failed':
      return `no depth: ${live.lastError ?? 'failed'}`;
    default:
      return 'shown flat: no depth video yet';
  }
}
