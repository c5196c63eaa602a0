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
  /**
   * The stream is connected for the first time: what was loaded before (the gallery loads side by
   * side with it) may have changed meanwhile, and those changes were sent to no one.
   */
  onConnected?: () => void;
}

/** One EventSource for the whole page, opened while anyone listens. */
const listeners = new Set<React.RefObject<MediaEventHandlers>>();
let source: EventSource | null = null;

/**
 * The page's event stream, each event handed to `each` listener. Its first connection is told
 * (`onConnected`): a job that failed before it stayed "processing" on a tile loaded before it.
 * Later reconnections resume with Last-Event-ID (the server replays what was missed, or sends
 * `resync` itself).
 */
export function openMediaEvents(
  each: (call: (h: MediaEventHandlers) => void) => void,
  url = apiUrl(API.events, {}),
): EventSource {
  const es = new EventSource(url);
  let connected = false;
  es.addEventListener('open', () => {
    if (connected) return;
    connected = true;
    each((h) => h.onConnected?.());
  });
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

function eachListener(call: (h: MediaEventHandlers) => void): void {
  for (const ref of listeners) call(ref.current);
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
    source ??= openMediaEvents(eachListener);
    return () => {
      listeners.delete(ref);
      if (listeners.size === 0) {
        source?.close();
        source = null;
      }
    };
  }, []);
}
