import { describe, expect, it } from 'vitest';
import { runSoak, slope } from '../bench/soak';

/**
 * The soak (`pnpm bench soak`, 50 clients for 10 minutes) in short: 20 clients for 45 s against
 * the real server process while the worker runs. Zero errors; descriptors and memory do not climb.
 * The first 10 s are warm-up (JIT, libvips and V8 heaps growing to their working size: RSS swings
 * ±20 MB a window there), so the trend is fitted over the seven windows after it. Memory's trend is
 * fitted to each window's floor (its lowest RSS, sampled every second): the heaps breathe by
 * ±25 MB between collections, which over 35 s reads as a slope of ±70 MB/min in end-of-window
 * samples, while a leak raises the floor.
 */
describe('a short soak', () => {
  it('serves 20 browsing clients for 45 s with no error and no growth in fds or memory', async () => {
    const result = await runSoak({
      seconds: 45,
      clients: 20,
      photos: 40,
      databaseUrl: undefined,
      windowSeconds: 5,
      log: (line) => console.log(line),
    });
    expect(result.errors).toEqual([]);
    expect(result.requests).toBeGreaterThan(1500);
    const steady = result.windows.slice(2);
    const fds = steady.map((w) => w.openFds);
    // Sockets come and go with the clients; a leak would climb window after window.
    expect(Math.max(...fds) - Math.min(...fds)).toBeLessThan(60);
    expect(slope(steady.map((w) => [w.endsAtSeconds / 60, w.rssFloorMb]))).toBeLessThan(60);
  }, 180_000);
});
