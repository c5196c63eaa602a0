import { API, sessionRevokeParamsSchema } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { revokeSessions } from '../db/queries/sessions.queries';
import { NotFoundError } from '../errors';
import { listSessions } from '../services/device-sessions.service';
import { routePath } from './route-path';
import { parseInput } from './validate';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const SESSIONS_MOUNT = '/api/sessions';

/** Paired devices (what `pnpm sessions` shows while the app holds the embedded database). */
export function sessionsRoutes({ db, logger }: AppDeps) {
  return new Hono()
    .use(async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store'); // who is paired is nobody's cache's business
    })
    .get(routePath(API.sessions, SESSIONS_MOUNT), async (c) =>
      c.json({ sessions: await listSessions(db) }),
    )
    .post(routePath(API.sessionRevoke, SESSIONS_MOUNT), async (c) => {
      const { id } = parseInput(sessionRevokeParamsSchema, { id: c.req.param('id') });
      const revoked = await revokeSessions(db, id === 'all' ? 'all' : id.toLowerCase());
      if (revoked === 0) throw new NotFoundError('no live session matches this id');
      logger.info('sessions revoked', { id, revoked });
      return c.json({ revoked });
    });
}
