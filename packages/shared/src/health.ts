import { z } from 'zod';

export const DATABASE_ENGINES = ['embedded', 'postgres'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** The details are given only to clients that may see the library (not to unpaired LAN devices). */
export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(DATABASE_ENGINES).optional(),
  /** Highest applied migration, e.g. "01-schema". */
  schemaVersion: z.string().nullable().optional(),
  mediaCount: z.number().int().nonnegative().optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
