import {
  API,
  apiUrl,
  MEDIA_EVENTS,
  type MediaStatusEvent,
  mediaStatusEventSchema,
} from '@immichvr/shared';
import { useEffect, useRef } from 'react';

export interface MediaEventHandlers {
  onStatus?: (event: MediaStatusEvent) => void;
  /** An item was added or deleted: the timeline changed. */
  onLibraryChange?: () => void;
  /** Events may have been missed: reload what is shown. */
  onResync?: () => void;
}

/** One EventSource for the whole page, opened while anyone listens. */
const listeners = new Set<React.RefObject<MediaEventHandlers>>();
let source: EventSource | null = null;

function open(): EventSource {
  const es = new EventSource(apiUrl(API.events, {}));
  const each = (call: (h: MediaEventHandlers) => void) => {
    for (const ref of listeners) call(ref.current);
  };
  es.addEventListener(MEDIA_EVENTS.status, (message) => {
    const parsed = mediaStatusEventSchema.safeParse(
      JSON.parse((message as MessageEvent<string>).data),
    );
    if (parsed.success) each((h) => h.onStatus?.(parsed.data));
  });
  const changed = () => each((h) => h.onLibraryChange?.());
  es.addEventListener(MEDIA_EVENTS.added, changed);
  es.addEventListener(MEDIA_EVENTS.deleted, changed);
  es.addEventListener(MEDIA_EVENTS.resync, () => each((h) => h.onResync?.()));
  return es;
}

/**
 * Live changes from GET /api/events. EventSource reconnects by itself, resuming with
 * Last-Event-ID; the server sends `resync` when it cannot replay what was missed.
 */
export function useMediaEvents(handlers: MediaEventHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    listeners.add(ref);
    source ??= open();
    return () => {
      listeners.delete(ref);
      if (listeners.size === 0) {
        source?.close();
        source = null;
      }
    };
  }, []);
}
