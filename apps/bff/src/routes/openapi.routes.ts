import { buildOpenApiDocument } from '@immichvr/shared';
import { Hono } from 'hono';

export function openApiRoutes(version: string) {
  const document = buildOpenApiDocument(version);
  return new Hono().get('/', (c) => c.json(document));
}
