import { z } from 'zod';
import { API_ENDPOINTS, type Endpoint } from './api-contract';
import { problemSchema } from './problem';

type JsonObject = Record<string, unknown>;

const PROBLEM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  503: 'Service Unavailable',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

function parametersOf(endpoint: Endpoint): JsonObject[] {
  const parameters: JsonObject[] = [];
  for (const [where, object] of [
    ['path', endpoint.params],
    ['query', endpoint.query],
  ] as const) {
    if (!object) continue;
    const shape = schemaOf(object, 'input') as {
      properties?: Record<string, JsonObject>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(shape.properties ?? {})) {
      parameters.push({
        name,
        in: where,
        required: where === 'path' || (shape.required ?? []).includes(name),
        schema,
      });
    }
  }
  return parameters;
}

function contentOf(body: NonNullable<Endpoint['body']>, io: 'input' | 'output'): JsonObject {
  switch (body.kind) {
    case 'json':
      return { 'application/json': { schema: schemaOf(body.schema, io) } };
    case 'binary':
      return Object.fromEntries(
        body.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
      );
    case 'multipart':
      return {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: [body.field],
            properties: { [body.field]: { type: 'string', format: 'binary' } },
          },
        },
      };
    case 'event-stream':
      return {
        'text/event-stream': {
          schema: { type: 'string' },
          'x-events': Object.fromEntries(
            Object.entries(body.events).map(([name, schema]) => [name, schemaOf(schema, 'output')]),
          ),
        },
      };
  }
}

/** The OpenAPI 3.1 document of the API, built from the shared zod schemas. */
export function buildOpenApiDocument(version: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const endpoint of API_ENDPOINTS) {
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(endpoint.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.body ? { content: contentOf(response.body, 'output') } : {}),
        ...(response.headers
          ? {
              headers: Object.fromEntries(
                response.headers.map((h) => [h, { schema: { type: 'string' } }]),
              ),
            }
          : {}),
      };
    }
    for (const status of endpoint.problems) {
      responses[status] = {
        description: PROBLEM_TITLES[status] ?? 'Error',
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      };
    }
    const parameters = parametersOf(endpoint);
    paths[endpoint.path] = {
      ...paths[endpoint.path],
      [endpoint.method]: {
        summary: endpoint.summary,
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(endpoint.body
          ? { requestBody: { required: false, content: contentOf(endpoint.body, 'input') } }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ImmichVR API',
      version,
      description: 'The library, its files and depth maps, the depth queue and live status.',
    },
    paths,
    components: { schemas: { Problem: schemaOf(problemSchema, 'output') } },
  };
}
