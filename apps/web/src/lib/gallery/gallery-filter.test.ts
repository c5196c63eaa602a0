import { describe, expect, it } from 'vitest';
import { collectionFilter, filterLabel, filterQuery } from './gallery-filter';

const collections = [
  {
    id: '0b0f0c1e-4a5d-4c6e-8f70-1a2b3c4d5e6f',
    kind: 'album' as const,
    name: 'Lisbon',
    itemCount: 3,
  },
  {
    id: '1c1f0c1e-4a5d-4c6e-8f70-1a2b3c4d5e6f',
    kind: 'person' as const,
    name: 'Ada',
    itemCount: 2,
  },
];

describe('gallery filters', () => {
  it('turn into the query the API takes', () => {
    expect(filterQuery('all')).toEqual({});
    expect(filterQuery('failed')).toEqual({ status: 'failed' });
    expect(filterQuery('favorites')).toEqual({ favorite: 'true' });
    expect(filterQuery(collectionFilter(collections[0]?.id ?? ''))).toEqual({
      collection: collections[0]?.id,
    });
  });

  it('are named for people', () => {
    expect(filterLabel('favorites', collections)).toBe('Favourites');
    expect(filterLabel(collectionFilter(collections[0]?.id ?? ''), collections)).toBe(
      'Album: Lisbon',
    );
    expect(filterLabel(collectionFilter(collections[1]?.id ?? ''), collections)).toBe('Ada');
    expect(filterLabel(collectionFilter('gone'), collections)).toBe('Album or person');
  });
});
