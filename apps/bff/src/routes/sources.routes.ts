import { API } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { listCollections } from '../db/queries/collections.queries';
import { NotFoundError } from '../errors';
import { routePath } from './route-path';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const COLLECTIONS_MOUNT = '/api/collections';
export const SOURCES_MOUNT = '/api/sources';

/** Albums and people to filter the gallery by. */
export function collectionsRoutes({ db }: AppDeps) {
  return new Hono().get(routePath(API.collections, COLLECTIONS_MOUNT), async (c) => {
    const rows = await listCollections(db);
    return c.json({
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        itemCount: Number(r.item_count),
      })),
    });
  });
}

/** Where the Immich sync stands; POST …/immich/sync runs one now. */
export function sourcesRoutes({ immichSync }: AppDeps) {
  return new Hono()
    .get(routePath(API.sources, SOURCES_MOUNT), async (c) =>
      c.json({ immich: (await immichSync?.status()) ?? null }),
    )
    .post(routePath(API.immichSync, SOURCES_MOUNT), async (c) => {
      if (!immichSync)
        throw new NotFoundError(
          'no Immich server is configured (set IMMICH_URL and IMMICH_API_KEY)',
        );
      void immichSync.syncNow();
      return c.json({ immich: await immichSync.status() }, 202);
    });
}
