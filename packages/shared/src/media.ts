import { z } from 'zod';
import { disparityEncodingSchema } from './depth-encoding';
import { DEPTH_MAP_FORMATS, MEDIA_TYPES, PROCESSING_STATUSES } from './enums';
import { libraryFilterQuerySchema } from './timeline';

const timestamp = z.iso.datetime({ offset: true });

export const depthMapSummarySchema = z.object({
  id: z.uuid(),
  format: z.enum(DEPTH_MAP_FORMATS),
  width: z.number().int(),
  height: z.number().int(),
  modelName: z.string().nullable(),
  generatedAt: timestamp,
});
export type DepthMapSummary = z.infer<typeof depthMapSummarySchema>;

/** Long-edge sizes, in pixels, of the previews the server makes: grid thumbnails and the viewer. */
export const PREVIEW_SIZES = [256, 2048] as const;
export type PreviewSize = (typeof PREVIEW_SIZES)[number];

/** One library entry as the client sees it: never a server file path. */
export const mediaItemSchema = z.object({
  id: z.uuid(),
  originalFilename: z.string(),
  mediaType: z.enum(MEDIA_TYPES),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  capturedAt: timestamp.nullable(),
  uploadedAt: timestamp,
  processingStatus: z.enum(PROCESSING_STATUSES).nullable(),
  processingAttempts: z.number().int().nullable(),
  lastError: z.string().nullable(),
  /** The newest queue entry of this item (null when never queued). */
  queueId: z.uuid().nullable(),
  /** How far the newest job is (percent), for long jobs (videos); null when not reported. */
  processingProgress: z.number().int().min(0).max(100).nullable(),
  depthMap: depthMapSummarySchema.nullable(),
  urls: z.object({
    original: z.string(),
    /** 256 px long edge, for the grid. */
    preview: z.string(),
    /** 2048 px long edge, for the viewer. */
    previewLarge: z.string(),
    /** Carries the depth map's id, so a new depth map is a new URL. */
    depth: z.string().nullable(),
  }),
});
export type MediaItem = z.infer<typeof mediaItemSchema>;

const pixelRect = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);

/**
 * A depth video (format mp4): every frame holds the colour frame and its depth, stacked. Depth is
 * 8-bit disparity over the full range (255 = nearest), normalised over time, not per frame.
 */
export const depthVideoSchema = z.object({
  layout: z.literal('colour-over-depth'),
  /** Where each half is in the decoded frame, in pixels: [x, y from the top, width, height]. */
  colour: pixelRect,
  depth: pixelRect,
  frameWidth: z.number().int().positive(),
  frameHeight: z.number().int().positive(),
  frameRate: z.number().positive(),
  /** 2nd, 50th and 98th percentiles of the clip's depth samples, 0 (far) … 1 (near). */
  stats: z.object({ low: z.number(), reference: z.number(), high: z.number() }),
});
export type DepthVideo = z.infer<typeof depthVideoSchema>;

/** What the viewer needs to turn a depth map into geometry (GET /api/media/:id). */
export const depthMapDetailSchema = depthMapSummarySchema.extend({
  /** Metric encoding (1/z = shift + scale·sample/65535) when the map is metric, else null. */
  encoding: disparityEncodingSchema.nullable(),
  /** Focal length in depth-map pixels, when known (e.g. the demo's ground truth). */
  focalLengthPixels: z.number().positive().nullable(),
  /** 35 mm-equivalent focal length of the photo, when known. */
  focalLength35mm: z.number().positive().nullable(),
  /** For a depth video: its layout, frame rate and depth statistics; null for a depth image. */
  video: depthVideoSchema.nullable(),
});
export type DepthMapDetail = z.infer<typeof depthMapDetailSchema>;

/** One item with its file facts (GET /api/media/:id, upload). */
export const mediaDetailSchema = mediaItemSchema.extend({
  depthMap: depthMapDetailSchema.nullable(),
  mimeType: z.string(),
  fileSizeBytes: z.number().int(),
  durationSeconds: z.number().nullable(),
  frameRate: z.number().nullable(),
  checksum: z.string().nullable(),
});
export type MediaDetail = z.infer<typeof mediaDetailSchema>;

export const mediaPageSchema = z.object({
  items: z.array(mediaItemSchema),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type MediaPage = z.infer<typeof mediaPageSchema>;

/** A page size query value: 1–200, default `fallback`. */
export function limitQuery(fallback: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 200')
    .max(200, 'must be between 1 and 200')
    .default(fallback);
}

/** An opaque cursor from a previous page. */
export const cursorQuery = z.string().min(1).max(512);

export const mediaListQuerySchema = libraryFilterQuerySchema.extend({
  limit: limitQuery(50),
  cursor: cursorQuery.optional(),
  /** Start with the newest item taken strictly before this instant (ignored with a cursor). */
  before: timestamp.optional(),
});
export type MediaListQuery = z.infer<typeof mediaListQuerySchema>;

export const previewQuerySchema = z.object({
  size: z.coerce
    .number({ error: `must be one of ${PREVIEW_SIZES.join(', ')}` })
    .pipe(
      z.union(
        PREVIEW_SIZES.map((s) => z.literal(s)),
        { error: `must be one of ${PREVIEW_SIZES.join(', ')}` },
      ),
    )
    .default(256),
});

/**
 * Long edge, in pixels, of a depth map's coarse version: what a viewer draws its first 3D frames
 * with (tens of KB, decoded in milliseconds) while the full map loads; the full one then refines
 * the same shape in place.
 */
export const COARSE_DEPTH_SIZE = 256;

export const depthQuerySchema = z.object({
  /** Absent: the depth map itself; COARSE_DEPTH_SIZE: its coarse version (photos only). */
  size: z.coerce
    .number({ error: `must be ${COARSE_DEPTH_SIZE}` })
    .pipe(z.literal(COARSE_DEPTH_SIZE, { error: `must be ${COARSE_DEPTH_SIZE}` }))
    .optional(),
});

/** The coarse version of a photo's depth map at `depthUrl` (an item's `urls.depth`). */
export function coarseDepthUrl(depthUrl: string): string {
  return `${depthUrl}${depthUrl.includes('?') ? '&' : '?'}size=${COARSE_DEPTH_SIZE}`;
}

export const mediaIdParamsSchema = z.object({ id: z.uuid({ error: 'id must be a UUID' }) });

/** The API paths of one media item's files, built the same way on both sides. */
export function mediaUrls(id: string, depthMapId: string | null): MediaItem['urls'] {
  const base = `/api/media/${id}`;
  return {
    original: `${base}/original`,
    preview: `${base}/preview?size=${PREVIEW_SIZES[0]}`,
    previewLarge: `${base}/preview?size=${PREVIEW_SIZES[1]}`,
    depth: depthMapId ? `${base}/depth?v=${depthMapId}` : null,
  };
}
