import { queueIdParamsSchema, queueListQuerySchema } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { cancelQueueItem, getQueuePage, getQueueSummary } from '../services/processing.service';
import { parseInput } from './validate';

export function queueRoutes({ db, logger }: AppDeps) {
  return new Hono()
    .get('/', async (c) =>
      c.json(await getQueuePage(db, parseInput(queueListQuerySchema, c.req.query()))),
    )
    .get('/summary', async (c) => c.json(await getQueueSummary(db)))
    .post('/:queueId/cancel', async (c) => {
      const { queueId } = parseInput(queueIdParamsSchema, { queueId: c.req.param('queueId') });
      const job = await cancelQueueItem(db, queueId);
      logger.info('job cancelled', { queueId, mediaId: job.mediaItemId });
      return c.json(job);
    });
}
