import { z } from 'zod';
import { PROCESSING_STATUSES } from './enums';
import { depthMapSummarySchema } from './media';

/** Server-Sent Event names of GET /api/events. */
export const MEDIA_EVENTS = {
  /** A queue item changed status, or the item's depth map was added, replaced or removed. */
  status: 'media.status',
  /** An item was added to the library (upload, import). */
  added: 'media.added',
  /** An item was deleted. */
  deleted: 'media.deleted',
  /** Events may have been missed (server restart, database reconnect): reload what you show. */
  resync: 'resync',
} as const;

export const mediaStatusEventSchema = z.object({
  mediaId: z.uuid(),
  /** The queue item that changed, or the item's newest one for depth map changes. */
  queueId: z.uuid().nullable(),
  status: z.enum(PROCESSING_STATUSES).nullable(),
  attempts: z.number().int().nullable(),
  lastError: z.string().nullable(),
  /** Percent done of a long job (a video), while it runs; else null. */
  progress: z.number().int().min(0).max(100).nullable(),
  depthMap: depthMapSummarySchema.nullable(),
});
export type MediaStatusEvent = z.infer<typeof mediaStatusEventSchema>;

export const mediaChangeEventSchema = z.object({ mediaId: z.uuid() });
export type MediaChangeEvent = z.infer<typeof mediaChangeEventSchema>;

export const resyncEventSchema = z.object({ reason: z.string() });
