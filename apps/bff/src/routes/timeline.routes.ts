import { API, libraryFilterQuerySchema } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { getTimeline } from '../services/library.service';
import { routePath } from './route-path';
import { parseInput } from './validate';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const TIMELINE_MOUNT = '/api/timeline';

export function timelineRoutes(deps: AppDeps) {
  return new Hono().get(routePath(API.timeline, TIMELINE_MOUNT), async (c) =>
    c.json(await getTimeline(deps.db, parseInput(libraryFilterQuerySchema, c.req.query()))),
  );
}
