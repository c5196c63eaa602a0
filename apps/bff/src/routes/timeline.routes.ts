import { libraryFilterQuerySchema } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { getTimeline } from '../services/library.service';
import { parseInput } from './validate';

export function timelineRoutes(deps: AppDeps) {
  return new Hono().get('/', async (c) =>
    c.json(await getTimeline(deps.db, parseInput(libraryFilterQuerySchema, c.req.query()))),
  );
}
