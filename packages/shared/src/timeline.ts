import { z } from 'zod';
import { MEDIA_TYPES, PROCESSING_STATUSES } from './enums';

const booleanQuery = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true');

/** The filters the gallery offers; the same on the timeline and on its pages. */
export const libraryFilterQuerySchema = z.object({
  type: z.enum(MEDIA_TYPES).optional(),
  status: z.enum(PROCESSING_STATUSES).optional(),
  hasDepth: booleanQuery.optional(),
  /** Only favourites (Immich's). */
  favorite: booleanQuery.optional(),
  /** Only items in this album or showing this person (GET /api/collections). */
  collection: z.uuid({ error: 'must be a collection id from /api/collections' }).optional(),
});
export type LibraryFilterQuery = z.infer<typeof libraryFilterQuerySchema>;

/** A calendar month (UTC) as `YYYY-MM`. */
export const monthKeySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/**
 * The library's shape without its items (GET /api/timeline): how many items each month holds,
 * newest month first. The gallery lays out all of it at once and loads only the months in view.
 */
export const timelineSchema = z.object({
  total: z.number().int(),
  months: z.array(z.object({ month: monthKeySchema, count: z.number().int().positive() })),
});
export type Timeline = z.infer<typeof timelineSchema>;
export type TimelineMonth = Timeline['months'][number];

/** The first instant after a month (UTC): pass as `before` to list that month from its newest. */
export function monthEnd(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 1)).toISOString();
}

/** The month key (UTC) of an ISO timestamp. */
export function monthOf(timestamp: string): string {
  return timestamp.slice(0, 7);
}
