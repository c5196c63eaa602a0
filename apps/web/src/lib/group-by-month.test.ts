import { type MediaItem, mediaUrls } from '@immichvr/shared';
import { describe, expect, it } from 'vitest';
import { groupByMonth } from './group-by-month';

const item = (
  id: string,
  capturedAt: string | null,
  uploadedAt = '2026-11-01T00:00:00Z',
): MediaItem => ({
  id,
  originalFilename: `${id}.jpg`,
  mediaType: 'photo',
  width: 1,
  height: 1,
  capturedAt,
  uploadedAt,
  processingStatus: null,
  processingAttempts: null,
  lastError: null,
  queueId: null,
  depthMap: null,
  urls: mediaUrls(id, null),
});

describe('groupByMonth', () => {
  it('groups consecutive items by capture month in UTC, falling back to the upload date', () => {
    const groups = groupByMonth([
      item('a', '2026-10-31T23:30:00Z'),
      item('b', '2026-10-01T00:00:00Z'),
      item('c', '2026-09-15T12:00:00Z'),
      item('d', null, '2026-08-02T00:00:00Z'),
    ]);
    expect(groups.map((g) => [g.month, g.items.map((i) => i.id)])).toEqual([
      ['October 2026', ['a', 'b']],
      ['September 2026', ['c']],
      ['August 2026', ['d']],
    ]);
  });

  it('gives no groups for an empty library', () => {
    expect(groupByMonth([])).toEqual([]);
  });
});
