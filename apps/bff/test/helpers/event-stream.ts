export interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

export interface EventStreamClient {
  response: Response;
  /** Every event received so far. */
  events: ReceivedEvent[];
  /** The raw text received so far (comments included). */
  raw(): string;
  /** The first event (already received or arriving within `timeoutMs`) matching `predicate`. */
  next(predicate: (e: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
}

/** A minimal Server-Sent Events client over fetch, as a browser's EventSource reads the stream. */
export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const events: ReceivedEvent[] = [];
  let text = '';
  let buffer = '';
  const waiters = new Set<() => void>();

  (async () => {
    const decoder = new TextDecoder();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = decoder.decode(value, { stream: true });
      text += chunk;
      buffer += chunk;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = {
          id: undefined as string | undefined,
          event: 'message',
          data: [] as string[],
        };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const [name, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (name === 'id') fields.id = value;
          else if (name === 'event') fields.event = value;
          else if (name === 'data') fields.data.push(value);
        }
        if (fields.data.length > 0) {
          events.push({
            id: fields.id,
            event: fields.event,
            data: JSON.parse(fields.data.join('\n')),
          });
          for (const wake of waiters) wake();
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => {});

  return {
    response,
    events,
    raw: () => text,
    next(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => abort.abort(),
  };
}
