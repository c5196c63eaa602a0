/**
 * Enums mirrored from the SQL schema (apps/bff/src/db/migrations/01-schema.sql), in the
 * same order as their CREATE TYPE. A schema test compares these with the database catalog.
 */
export const MEDIA_TYPES = ['photo', 'video'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export const PROCESSING_STATUSES = [
  'pending',
  'queued',
  'processing',
  'completed',
  'failed',
  'cancelled',
] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

export const DEPTH_MAP_FORMATS = ['png', 'exr', 'npy', 'raw', 'mp4'] as const;
export type DepthMapFormat = (typeof DEPTH_MAP_FORMATS)[number];
