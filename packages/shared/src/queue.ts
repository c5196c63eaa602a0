import { z } from 'zod';
import { PROCESSING_STATUSES } from './enums';
import { cursorQuery, limitQuery } from './media';

const timestamp = z.iso.datetime({ offset: true });

/** Statuses of a job that is not finished: a reprocess request joins it instead of adding one. */
export const ACTIVE_PROCESSING_STATUSES = ['pending', 'queued', 'processing'] as const;

/** Depth job priority: 1 is first. */
export const prioritySchema = z
  .number({ error: 'priority must be a number' })
  .int('priority must be a whole number')
  .min(1, 'priority must be between 1 and 10')
  .max(10, 'priority must be between 1 and 10');

/** One row of processing_queue. */
export const queueItemSchema = z.object({
  id: z.uuid(),
  mediaItemId: z.uuid(),
  status: z.enum(PROCESSING_STATUSES),
  priority: z.number().int(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  errorCount: z.number().int(),
  lastError: z.string().nullable(),
  queuedAt: timestamp,
  startedAt: timestamp.nullable(),
  completedAt: timestamp.nullable(),
  processingDurationSeconds: z.number().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const reprocessRequestSchema = z.object({ priority: prioritySchema.default(5) }).strict();
export type ReprocessRequest = z.infer<typeof reprocessRequestSchema>;

export const queueListQuerySchema = z.object({
  status: z.enum(PROCESSING_STATUSES).optional(),
  mediaId: z.uuid({ error: 'mediaId must be a UUID' }).optional(),
  limit: limitQuery(50),
  cursor: cursorQuery.optional(),
});

export const queuePageSchema = z.object({
  items: z.array(queueItemSchema),
  nextCursor: z.string().nullable(),
});
export type QueuePage = z.infer<typeof queuePageSchema>;

export const queueIdParamsSchema = z.object({
  queueId: z.uuid({ error: 'queueId must be a UUID' }),
});

/** One row of the processing_queue_summary view. */
export const queueSummaryRowSchema = z.object({
  status: z.enum(PROCESSING_STATUSES),
  count: z.number().int(),
  avgAttempts: z.number().nullable(),
  avgProcessingTimeSeconds: z.number().nullable(),
});
export const queueSummarySchema = z.object({ rows: z.array(queueSummaryRowSchema) });
export type QueueSummary = z.infer<typeof queueSummarySchema>;
