import { z } from 'zod';

/** An album or a person (from Immich): a gallery filter. */
export const collectionSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['album', 'person']),
  name: z.string(),
  /** Items of the library in it. */
  itemCount: z.number().int().nonnegative(),
});
export type Collection = z.infer<typeof collectionSchema>;

export const collectionListSchema = z.object({ items: z.array(collectionSchema) });
export type CollectionList = z.infer<typeof collectionListSchema>;

const syncReportSchema = z.object({
  at: z.string(),
  seconds: z.number(),
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  skipped: z.number().int(),
  full: z.boolean(),
  resumed: z.boolean(),
});

/** Where the sync with an Immich server stands (GET /api/sources). */
export const immichSyncStatusSchema = z.object({
  /** The server's API address. */
  url: z.string(),
  /** A sync of this server runs: in this app, or in another process holding its lease. */
  running: z.boolean(),
  /** While this app runs it: assets read so far of the timeline's total (null elsewhere). */
  progress: z
    .object({
      assets: z.number().int(),
      total: z.number().int().nullable(),
      added: z.number().int(),
      removed: z.number().int(),
    })
    .nullable(),
  lastRun: syncReportSchema.nullable(),
  lastSuccessAt: z.string().nullable(),
  /** The last run's failure, until a run succeeds. */
  lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
  nextRunAt: z.string().nullable(),
  /** 0: background sync off (`pnpm immich:sync` only). */
  intervalMinutes: z.number(),
});
export type ImmichSyncStatus = z.infer<typeof immichSyncStatusSchema>;

export const sourcesResponseSchema = z.object({
  /** null when no Immich server is configured (IMMICH_URL). */
  immich: immichSyncStatusSchema.nullable(),
});
export type SourcesResponse = z.infer<typeof sourcesResponseSchema>;
