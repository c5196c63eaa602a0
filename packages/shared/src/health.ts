import { z } from 'zod';

export const DATABASE_ENGINES = ['embedded', 'postgres'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(DATABASE_ENGINES),
  /** Highest applied migration, e.g. "01-schema". */
  schemaVersion: z.string().nullable(),
  mediaCount: z.number().int().nonnegative(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
