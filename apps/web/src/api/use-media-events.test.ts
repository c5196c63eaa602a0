import { afterEach, describe, expect, it, vi } from 'vitest';
import { type MediaEventHandlers, openMediaEvents } from './use-media-events';

/** An EventSource the test drives: connections and events as the browser would dispatch them. */
class FakeEventSource extends EventTarget {
  static last: FakeEventSource | undefined;
  constructor(readonly url: string) {
    super();
    FakeEventSource.last = this;
  }
  send(type: string, data?: unknown) {
    this.dispatchEvent(
      data === undefined ? new Event(type) : new MessageEvent(type, { data: JSON.stringify(data) }),
    );
  }
  close() {}
}

afterEach(() => vi.unstubAllGlobals());

describe('the page’s event stream', () => {
  it('tells listeners when it first connects, not when it reconnects; resyncs when the server says', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const handlers: Required<MediaEventHandlers> = {
      onStatus: vi.fn(),
      onLibraryChange: vi.fn(),
      onResync: vi.fn(),
      onConnected: vi.fn(),
    };
    openMediaEvents((call) => call(handlers), '/api/events');
    const es = FakeEventSource.last as FakeEventSource;
    expect(handlers.onConnected).not.toHaveBeenCalled();
    es.send('open'); // what the gallery loaded before this may be stale
    expect(handlers.onConnected).toHaveBeenCalledTimes(1);
    es.send('open'); // a reconnection resumes with Last-Event-ID instead
    expect(handlers.onConnected).toHaveBeenCalledTimes(1);
    expect(handlers.onResync).not.toHaveBeenCalled();
    es.send('resync', { reason: 'events were missed' }); // the server says it cannot replay
    expect(handlers.onResync).toHaveBeenCalledTimes(1);
    es.send('media.added', { mediaId: 'x' });
    expect(handlers.onLibraryChange).toHaveBeenCalledTimes(1);
  });
});
