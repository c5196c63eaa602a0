import { Hono } from 'hono';
import type { Database } from './db/database';
import { HttpProblem } from './errors';
import type { Logger } from './logger';
import { healthRoutes } from './routes/health.routes';
import { mediaRoutes } from './routes/media.routes';
import { webAppRoutes } from './routes/web-app.routes';

export interface AppDeps {
  db: Database;
  dataDir: string;
  /** The built web app; not served when undefined (API-only tests). */
  webDistDir?: string;
  logger: Logger;
}

function problem(status: number, title: string, detail?: string): Response {
  return new Response(
    JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) }),
    {
      status,
      headers: { 'Content-Type': 'application/problem+json' },
    },
  );
}

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    deps.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  app.route('/api/health', healthRoutes(deps.db));
  app.route('/api/media', mediaRoutes(deps.db, deps.dataDir, deps.logger));
  app.all('/api/*', () => problem(404, 'Not Found', 'no such API endpoint'));
  if (deps.webDistDir) app.route('/', webAppRoutes(deps.webDistDir));

  app.notFound(() => problem(404, 'Not Found'));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problem(error.status, error.title, error.message);
    deps.logger.error('unhandled error', {
      method: c.req.method,
      path: c.req.path,
      error: String(error),
      stack: error.stack,
    });
    return problem(
      500,
      'Internal Server Error',
      'something went wrong; the server log has the details',
    );
  });
  return app;
}
