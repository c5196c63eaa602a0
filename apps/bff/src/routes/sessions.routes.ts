import { sessionRevokeParamsSchema } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { revokeSessions } from '../db/queries/sessions.queries';
import { NotFoundError } from '../errors';
import { listSessions } from '../services/device-sessions.service';
import { parseInput } from './validate';

/** Paired devices (what `pnpm sessions` shows while the app holds the embedded database). */
export function sessionsRoutes({ db, logger }: AppDeps) {
  return new Hono()
    .use(async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store'); // who is paired is nobody's cache's business
    })
    .get('/', async (c) => c.json({ sessions: await listSessions(db) }))
    .post('/:id/revoke', async (c) => {
      const { id } = parseInput(sessionRevokeParamsSchema, { id: c.req.param('id') });
      const revoked = await revokeSessions(db, id === 'all' ? 'all' : id.toLowerCase());
      if (revoked === 0) throw new NotFoundError('no live session matches this id');
      logger.info('sessions revoked', { id, revoked });
      return c.json({ revoked });
    });
}
