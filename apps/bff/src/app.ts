import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { AppDeps } from './app-deps';
import { isDatabaseUnavailable } from './db/database';
import { HttpProblem, TooManyRequestsError } from './errors';
import { DEPTH_MODEL_MOUNT, depthModelRoutes } from './routes/depth-model.routes';
import { EVENTS_MOUNT, eventsRoutes } from './routes/events.routes';
import { HEALTH_MOUNT, healthRoutes } from './routes/health.routes';
import { MEDIA_MOUNT, mediaRoutes } from './routes/media.routes';
import { OPENAPI_MOUNT, openApiRoutes } from './routes/openapi.routes';
import { pairingRoutes } from './routes/pairing.routes';
import { QUEUE_MOUNT, queueRoutes } from './routes/queue.routes';
import { SESSIONS_MOUNT, sessionsRoutes } from './routes/sessions.routes';
import {
  COLLECTIONS_MOUNT,
  collectionsRoutes,
  SOURCES_MOUNT,
  sourcesRoutes,
} from './routes/sources.routes';
import { TIMELINE_MOUNT, timelineRoutes } from './routes/timeline.routes';
import { webAppRoutes } from './routes/web-app.routes';
import { accessControl } from './security/access';
import { hostCheck } from './security/allowed-hosts';
import { securityHeaders } from './security/security-headers';
import { isFinalAnswer } from './storage/send-file';
import { storageProblem } from './storage/storage-errors';

function problem(
  status: number,
  title: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Response {
  return new Response(
    JSON.stringify({
      type: 'about:blank',
      title,
      status,
      ...(detail ? { detail } : {}),
      ...extensions,
    }),
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

export function createApp(deps: AppDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  // One line per request: method, path, status, milliseconds to the response head. A response
  // the server replaced (its file changed under it) is not the request's: only the final is logged.
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const { status } = c.res;
    void isFinalAnswer(c.req.raw).then((final) => {
      if (!final) return;
      deps.logger.info('request', {
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
  });
  app.use(hostCheck(deps.allowedHosts));
  app.use(securityHeaders());
  app.use(accessControl(deps.access));
  app.route('/', pairingRoutes(deps, deps.pairing, deps.access));
  app.route(HEALTH_MOUNT, healthRoutes(deps.db, deps.access));
  app.route(MEDIA_MOUNT, mediaRoutes(deps));
  app.route(TIMELINE_MOUNT, timelineRoutes(deps));
  app.route(SESSIONS_MOUNT, sessionsRoutes(deps));
  app.route(QUEUE_MOUNT, queueRoutes(deps));
  app.route(EVENTS_MOUNT, eventsRoutes(deps));
  app.route(DEPTH_MODEL_MOUNT, depthModelRoutes(deps));
  app.route(COLLECTIONS_MOUNT, collectionsRoutes(deps));
  app.route(SOURCES_MOUNT, sourcesRoutes(deps));
  app.route(OPENAPI_MOUNT, openApiRoutes(deps.version));
  app.all('/api/*', () => problem(404, 'Not Found', 'no such API endpoint'));
  if (deps.webDistDir) app.route('/', webAppRoutes(deps.webDistDir));

  app.notFound(() => problem(404, 'Not Found'));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) {
      const response = problem(error.status, error.title, error.message, error.extensions);
      if (error instanceof TooManyRequestsError)
        response.headers.set('Retry-After', String(error.retryAfterSeconds));
      return response;
    }
    const storage = storageProblem(error);
    if (storage) {
      deps.logger.error('storage failure', { path: c.req.path, error: String(error) });
      return problem(storage.status, storage.title, storage.message);
    }
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn('database unavailable', { path: c.req.path, error: String(error) });
      const response = problem(
        503,
        'Service Unavailable',
        'the database is unreachable; try again shortly',
      );
      response.headers.set('Retry-After', '2');
      return response;
    }
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
