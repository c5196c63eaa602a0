import type { HttpBindings } from '@hono/node-server';
import type { HealthResponse } from '@immichvr/shared';
import { API } from '@immichvr/shared';
import { Hono } from 'hono';
import type { Database } from '../db/database';
import { schemaVersion } from '../db/migrate';
import { countMediaItems } from '../db/queries/library.queries';
import { ServiceUnavailableError } from '../errors';
import { type AccessPolicy, isAuthenticated } from '../security/access';
import { routePath } from './route-path';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const HEALTH_MOUNT = '/api/health';

/**
 * Whether the app is up. Open to all; a client that may not see the library (an unpaired device
 * on the LAN) is told only that — not the engine, schema or library size.
 */
export function healthRoutes(db: Database, policy: AccessPolicy) {
  return new Hono<{ Bindings: HttpBindings }>().get(
    routePath(API.health, HEALTH_MOUNT),
    async (c) => {
      try {
        if (!(await isAuthenticated(c, policy))) {
          await schemaVersion(db); // still a real check: the database answers
          return c.json({ status: 'ok' } satisfies HealthResponse);
        }
        const body: HealthResponse = {
          status: 'ok',
          database: db.engine,
          schemaVersion: await schemaVersion(db),
          mediaCount: await countMediaItems(db),
        };
        return c.json(body);
      } catch {
        throw new ServiceUnavailableError('the database is unreachable');
      }
    },
  );
}
