import { API, queueIdParamsSchema, queueListQuerySchema } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { cancelQueueItem, getQueuePage, getQueueSummary } from '../services/processing.service';
import { routePath } from './route-path';
import { parseInput } from './validate';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const QUEUE_MOUNT = '/api/queue';

export function queueRoutes({ db, logger }: AppDeps) {
  return new Hono()
    .get(routePath(API.queueList, QUEUE_MOUNT), async (c) =>
      c.json(await getQueuePage(db, parseInput(queueListQuerySchema, c.req.query()))),
    )
    .get(routePath(API.queueSummary, QUEUE_MOUNT), async (c) => c.json(await getQueueSummary(db)))
    .post(routePath(API.queueCancel, QUEUE_MOUNT), async (c) => {
      const { queueId } = parseInput(queueIdParamsSchema, { queueId: c.req.param('queueId') });
      const job = await cancelQueueItem(db, queueId);
      logger.info('job cancelled', { queueId, mediaId: job.mediaItemId });
      return c.json(job);
    });
}
