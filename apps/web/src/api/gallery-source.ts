import { filterQuery } from '../lib/gallery/gallery-filter';
import { GALLERY_PAGE_SIZE, type GallerySource } from '../lib/gallery/gallery-store';
import { api } from './client';

/** The gallery store's data, from GET /api/timeline and GET /api/media. */
export const apiGallerySource: GallerySource = {
  timeline: (filter) => api.timeline(filterQuery(filter)),
  monthPage: (filter, month, cursor) =>
    api.monthPage(filterQuery(filter), month, cursor, GALLERY_PAGE_SIZE),
};
