import { describe, expect, it } from 'vitest';
import { API_ENDPOINTS } from './api-contract';
import { buildOpenApiDocument } from './openapi';

type Operation = {
  parameters?: Array<{
    name: string;
    in: string;
    required: boolean;
    schema: Record<string, unknown>;
  }>;
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument('test') as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
  };
  const op = (path: string, method: string) => doc.paths[path]?.[method] as Operation;

  it('lists every endpoint of the contract', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const e of API_ENDPOINTS)
      expect(op(e.path, e.method), `${e.method} ${e.path}`).toBeDefined();
  });

  it('describes query parameters with their limits and enums', () => {
    const params = op('/api/media', 'get').parameters ?? [];
    const limit = params.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false });
    expect(limit?.schema).toMatchObject({ minimum: 1, maximum: 200, default: 50 });
    expect(params.find((p) => p.name === 'type')?.schema).toMatchObject({
      enum: ['photo', 'video'],
    });
    expect(params.find((p) => p.name === 'hasDepth')?.schema).toMatchObject({
      enum: ['true', 'false'],
    });
    expect(op('/api/media/{id}', 'get').parameters?.[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
      schema: { format: 'uuid' },
    });
  });

  it('gives response bodies in camelCase and errors as problem+json', () => {
    const item = op('/api/media/{id}', 'get').responses['200']?.content?.['application/json']
      ?.schema as { properties: Record<string, unknown> };
    expect(Object.keys(item.properties)).toEqual(
      expect.arrayContaining(['originalFilename', 'mediaType', 'capturedAt', 'depthMap', 'urls']),
    );
    expect(Object.keys(item.properties).every((k) => !k.includes('_'))).toBe(true);
    expect(op('/api/media/{id}', 'get').responses['404']?.content).toHaveProperty([
      'application/problem+json',
    ]);
  });
});
