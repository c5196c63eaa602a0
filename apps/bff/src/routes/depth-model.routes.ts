import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';

/** GET the depth model status; POST /download starts (or resumes) fetching the offered model. */
export function depthModelRoutes({ depthModel }: AppDeps) {
  return new Hono()
    .get('/', async (c) => c.json(await depthModel.status()))
    .post('/download', async (c) => {
      const started = depthModel.start();
      return c.json(await depthModel.status(), started ? 202 : 200);
    });
}
