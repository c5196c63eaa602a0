import { API, buildOpenApiDocument } from '@immichvr/shared';
import { Hono } from 'hono';
import { routePath } from './route-path';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const OPENAPI_MOUNT = '/api/openapi.json';

export function openApiRoutes(version: string) {
  const document = buildOpenApiDocument(version);
  return new Hono().get(routePath(API.openApi, OPENAPI_MOUNT), (c) => c.json(document));
}
