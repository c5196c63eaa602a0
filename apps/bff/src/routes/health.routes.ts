import type { HealthResponse } from '@immichvr/shared';
import { Hono } from 'hono';
import type { Database } from '../db/database';
import { schemaVersion } from '../db/migrate';
import { countMediaItems } from '../db/queries/library.queries';
import { ServiceUnavailableError } from '../errors';

export function healthRoutes(db: Database) {
  return new Hono().get('/', async (c) => {
    try {
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
  });
}
