/** Depth map bytes fetched ahead (a photo being selected, or its neighbours), by URL. */
const ahead = new Map<string, Promise<ArrayBuffer>>();
const MAX_AHEAD = 4;

/**
 * Starts fetching a depth map before the viewer asks for it, so selecting a photo fetches its
 * detail, its preview and its depth at the same time instead of one after the other.
 */
export function prefetchDepth(url: string | null): void {
  if (!url || ahead.has(url)) return;
  const bytes = fetch(url).then((response) => {
    if (!response.ok)
      throw new Error(`the depth map could not be loaded (HTTP ${response.status})`);
    return response.arrayBuffer();
  });
  bytes.catch(() => ahead.delete(url));
  ahead.set(url, bytes);
  while (ahead.size > MAX_AHEAD) ahead.delete(ahead.keys().next().value as string);
}

/** The prefetched bytes of a URL, once (they are handed to a worker), or undefined. */
export function takePrefetchedDepth(url: string): Promise<ArrayBuffer> | undefined {
  const bytes = ahead.get(url);
  ahead.delete(url);
  return bytes;
}
