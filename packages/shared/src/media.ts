import { z } from 'zod';
import { DEPTH_MAP_FORMATS, MEDIA_TYPES, PROCESSING_STATUSES } from './enums';

export const depthMapSummarySchema = z.object({
  id: z.uuid(),
  format: z.enum(DEPTH_MAP_FORMATS),
  width: z.number().int(),
  height: z.number().int(),
  modelName: z.string().nullable(),
  generatedAt: z.iso.datetime({ offset: true }),
});
export type DepthMapSummary = z.infer<typeof depthMapSummarySchema>;

/** One library entry as the client sees it: never a server file path. */
export const mediaItemSchema = z.object({
  id: z.uuid(),
  originalFilename: z.string(),
  mediaType: z.enum(MEDIA_TYPES),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  capturedAt: z.iso.datetime({ offset: true }).nullable(),
  uploadedAt: z.iso.datetime({ offset: true }),
  processingStatus: z.enum(PROCESSING_STATUSES).nullable(),
  processingAttempts: z.number().int().nullable(),
  lastError: z.string().nullable(),
  depthMap: depthMapSummarySchema.nullable(),
  urls: z.object({
    original: z.string(),
    preview: z.string(),
    depth: z.string().nullable(),
  }),
});
export type MediaItem = z.infer<typeof mediaItemSchema>;

export const mediaPageSchema = z.object({
  items: z.array(mediaItemSchema),
  nextCursor: z.string().nullable(),
});
export type MediaPage = z.infer<typeof mediaPageSchema>;

/** The API paths of one media item's files, built the same way on both sides. */
export function mediaUrls(id: string, hasDepth: boolean): MediaItem['urls'] {
  const base = `/api/media/${id}`;
  return {
    original: `${base}/original`,
    preview: `${base}/preview?size=256`,
    depth: hasDepth ? `${base}/depth` : null,
  };
}
