import { MEDIA_EVENTS, type MediaStatusEvent, mediaStatusEventSchema } from '@immichvr/shared';
import { useEffect, useRef } from 'react';

/**
 * Calls `onStatus` for every live status change the server sends (GET /api/events), and
 * `onResync` when events may have been missed. EventSource reconnects by itself, resuming with
 * Last-Event-ID.
 */
export function useMediaEvents(
  onStatus: (event: MediaStatusEvent) => void,
  onResync?: () => void,
): void {
  const handlers = useRef({ onStatus, onResync });
  handlers.current = { onStatus, onResync };
  useEffect(() => {
    const source = new EventSource('/api/events');
    source.addEventListener(MEDIA_EVENTS.status, (message) => {
      const parsed = mediaStatusEventSchema.safeParse(
        JSON.parse((message as MessageEvent<string>).data),
      );
      if (parsed.success) handlers.current.onStatus(parsed.data);
    });
    source.addEventListener(MEDIA_EVENTS.resync, () => handlers.current.onResync?.());
    return () => source.close();
  }, []);
}
