import { API } from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { routePath } from './route-path';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const DEPTH_MODEL_MOUNT = '/api/depth-model';

/** GET the depth model status; POST /download starts (or resumes) fetching the offered model. */
export function depthModelRoutes({ depthModel }: AppDeps) {
  return new Hono()
    .get(routePath(API.depthModel, DEPTH_MODEL_MOUNT), async (c) =>
      c.json(await depthModel.status()),
    )
    .post(routePath(API.depthModelDownload, DEPTH_MODEL_MOUNT), async (c) => {
      const started = depthModel.start();
      return c.json(await depthModel.status(), started ? 202 : 200);
    });
}
