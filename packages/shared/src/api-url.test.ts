import { describe, expect, expectTypeOf, it } from 'vitest';
import { API, API_ENDPOINTS } from './api-contract';
import { type ApiResult, apiUrl, resultSchema } from './api-url';
import {
  COARSE_DEPTH_SIZE,
  coarseDepthUrl,
  depthQuerySchema,
  type MediaDetail,
  mediaUrls,
} from './media';
import type { QueueItem } from './queue';

describe('calling an endpoint of the contract', () => {
  it('fills the path template, encoding each parameter, and appends the query', () => {
    expect(apiUrl(API.mediaDetail, { params: { id: 'a/b c' } })).toBe('/api/media/a%2Fb%20c');
    expect(apiUrl(API.queueCancel, { params: { queueId: '42' } })).toBe('/api/queue/42/cancel');
    expect(
      apiUrl(API.mediaList, { query: { limit: '50', cursor: undefined, type: 'photo' } }),
    ).toBe('/api/media?limit=50&type=photo');
    expect(apiUrl(API.health, {})).toBe('/api/health');
  });

  it("builds a photo's depth URLs the server parses: the map's id, and its coarse version", () => {
    const id = '0b7c1a52-3a52-4a0e-9b1e-2f4f3b1c9d11';
    const depth = mediaUrls(id, 'map-1').depth as string;
    expect(depth).toBe(`/api/media/${id}/depth?v=map-1`);
    const coarse = new URL(coarseDepthUrl(depth), 'http://x');
    expect(coarse.pathname).toBe(`/api/media/${id}/depth`);
    expect(Object.fromEntries(coarse.searchParams)).toEqual({ v: 'map-1', size: '256' });
    expect(depthQuerySchema.parse(Object.fromEntries(coarse.searchParams))).toEqual({
      size: COARSE_DEPTH_SIZE,
    });
    expect(depthQuerySchema.parse({ v: 'map-1' })).toEqual({});
    expect(depthQuerySchema.safeParse({ size: '128' }).success).toBe(false);
  });

  it('refuses a call that lacks a parameter of the path', () => {
    // @ts-expect-error: the type says so too
    expect(() => apiUrl(API.mediaDetail, {})).toThrow(/needs its id/);
  });

  it('names the schema of each JSON answer (a 202 too), none for files and streams', () => {
    expect(resultSchema(API.mediaDetail)).toBe(API.mediaDetail.responses[200].body.schema);
    expect(resultSchema(API.depthModelDownload)).not.toBeNull();
    expect(resultSchema(API.original)).toBeNull();
    expect(resultSchema(API.events)).toBeNull();
    expect(API_ENDPOINTS).toHaveLength(Object.keys(API).length);
  });

  it('types each answer from its schema (checked by tsc)', () => {
    expectTypeOf<ApiResult<typeof API.mediaDetail>>().toEqualTypeOf<MediaDetail>();
    expectTypeOf<ApiResult<typeof API.reprocess>>().toEqualTypeOf<QueueItem>();
  });
});
