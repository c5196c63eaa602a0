import type { DepthModelStatus } from '@immichvr/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DepthModelStore } from './depth-model-store';

const status = (
  download: Partial<DepthModelStatus['download']>,
  heuristicMaps = 3,
): DepthModelStatus => ({
  estimator: { kind: 'heuristic', label: 'Built-in estimate' },
  offer: { name: 'Depth Anything V2 Small', license: 'Apache-2.0', bytes: 99_060_839 },
  download: { state: 'idle', received: 0, total: null, error: null, resumable: false, ...download },
  heuristicMaps,
});

describe('the depth model store', () => {
  afterEach(() => vi.useRealTimers());

  it('reads the status when first watched, polls while downloading, and stops when done', async () => {
    vi.useFakeTimers();
    const answers = [
      status({}),
      status({ state: 'downloading', received: 10, total: 100 }),
      status({ state: 'downloading', received: 60, total: 100 }),
      status({ state: 'installed', received: 100, total: 100 }, 0),
    ];
    const source = {
      status: vi.fn(async () => answers.shift() as DepthModelStatus),
      fetch: vi.fn(async () => answers.shift() as DepthModelStatus),
    };
    const store = new DepthModelStore(source, 500);
    const seen: string[] = [];
    store.subscribe(() => {
      const s = store.getView().status;
      seen.push(`${s?.download.state}:${s?.download.received}`);
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['idle:0']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(source.status).toHaveBeenCalledTimes(1); // idle: no polling

    await store.download();
    expect(source.fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(seen).toEqual(['idle:0', 'downloading:10', 'downloading:60', 'installed:100']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(source.status).toHaveBeenCalledTimes(3); // installed, nothing left to re-do: stopped
  });

  it('keeps the last status and says why when the server cannot be asked', async () => {
    const store = new DepthModelStore({
      status: async () => {
        throw new Error('the server could not be reached');
      },
      fetch: async () => status({}),
    });
    await store.refresh();
    expect(store.getView()).toEqual({ status: null, error: 'the server could not be reached' });
    await store.download();
    expect(store.getView().error).toBeNull();
    expect(store.getView().status?.offer?.name).toBe('Depth Anything V2 Small');
  });
});
