import type { Collection, LibraryFilterQuery } from '@immichvr/shared';

/** The gallery's built-in filters, one at a time. */
export const GALLERY_FILTERS = ['all', 'photos', 'videos', 'depth', 'failed'] as const;
export type BasicFilter = (typeof GALLERY_FILTERS)[number];
/** A built-in filter, Immich's favourites, or one album or person (`collection:<id>`). */
export type GalleryFilter = BasicFilter | 'favorites' | `collection:${string}`;

export const FILTER_LABELS: Record<BasicFilter | 'favorites', string> = {
  all: 'All',
  photos: 'Photos',
  videos: 'Videos',
  depth: 'Has depth',
  failed: 'Failed',
  favorites: 'Favourites',
};

const FILTER_QUERIES: Record<BasicFilter | 'favorites', Record<string, string>> = {
  all: {},
  photos: { type: 'photo' },
  videos: { type: 'video' },
  depth: { hasDepth: 'true' },
  failed: { status: 'failed' },
  favorites: { favorite: 'true' },
};

export function collectionFilter(id: string): GalleryFilter {
  return `collection:${id}`;
}

/** The album or person a filter shows, if it is one. */
export function filterCollectionId(filter: GalleryFilter): string | null {
  return filter.startsWith('collection:') ? filter.slice('collection:'.length) : null;
}

/** The filter as API query parameters (GET /api/timeline and /api/media take the same). */
export function filterQuery(filter: GalleryFilter): Record<string, string> {
  const collection = filterCollectionId(filter);
  const query = collection
    ? { collection }
    : (FILTER_QUERIES[filter as BasicFilter | 'favorites'] ?? {});
  return query satisfies Partial<Record<keyof LibraryFilterQuery, string>>;
}

/** What a filter is called: "Favourites", "Album: Trip to Lisbon", "Ada". */
export function filterLabel(filter: GalleryFilter, collections: readonly Collection[]): string {
  const id = filterCollectionId(filter);
  if (!id) return FILTER_LABELS[filter as BasicFilter | 'favorites'] ?? filter;
  const found = collections.find((c) => c.id === id);
  if (!found) return 'Album or person';
  return found.kind === 'album' ? `Album: ${found.name}` : found.name;
}
