import { type DeviceSession, sessionRevokeParamsSchema } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { listDeviceSessions, revokeSessions } from '../db/queries/sessions.queries';
import { NotFoundError } from '../errors';
import { parseInput } from './validate';

const sessionJson = (s: Awaited<ReturnType<typeof listDeviceSessions>>[number]): DeviceSession => ({
  id: s.id,
  deviceName: s.device_name,
  createdAt: s.created_at.toISOString(),
  lastSeenAt: s.last_seen_at.toISOString(),
  revokedAt: s.revoked_at?.toISOString() ?? null,
});

/** Paired devices (what `pnpm sessions` shows while the app holds the embedded database). */
export function sessionsRoutes({ db, logger }: AppDeps) {
  return new Hono()
    .get('/', async (c) => c.json({ sessions: (await listDeviceSessions(db)).map(sessionJson) }))
    .post('/:id/revoke', async (c) => {
      const { id } = parseInput(sessionRevokeParamsSchema, { id: c.req.param('id') });
      const revoked = await revokeSessions(db, id === 'all' ? 'all' : id.toLowerCase());
      if (revoked === 0) throw new NotFoundError('no live session matches this id');
      logger.info('sessions revoked', { id, revoked });
      return c.json({ revoked });
    });
}
