import type { LibraryFilterQuery } from '@immichvr/shared';

/** The gallery's filters, one at a time. */
export const GALLERY_FILTERS = ['all', 'photos', 'videos', 'depth', 'failed'] as const;
export type GalleryFilter = (typeof GALLERY_FILTERS)[number];

export const FILTER_LABELS: Record<GalleryFilter, string> = {
  all: 'All',
  photos: 'Photos',
  videos: 'Videos',
  depth: 'Has depth',
  failed: 'Failed',
};

const FILTER_QUERIES: Record<GalleryFilter, Record<string, string>> = {
  all: {},
  photos: { type: 'photo' },
  videos: { type: 'video' },
  depth: { hasDepth: 'true' },
  failed: { status: 'failed' },
};

/** The filter as API query parameters (GET /api/timeline and /api/media take the same). */
export function filterQuery(filter: GalleryFilter): Record<string, string> {
  return FILTER_QUERIES[filter] satisfies Partial<Record<keyof LibraryFilterQuery, string>>;
}
