import type { z } from 'zod';
import type { Endpoint } from './api-contract';

/** The `{name}` parameters of a path template, e.g. '/api/media/{id}' → 'id'. */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParams<Rest>
  : never;

/** What a call to an endpoint needs: its path parameters (when it has any) and its query. */
export type ApiRequest<E extends Endpoint> = (PathParams<E['path']> extends never
  ? { params?: undefined }
  : { params: Record<PathParams<E['path']>, string> }) & {
  query?: Record<string, string | undefined>;
};

type JsonOf<B> = B extends { kind: 'json'; schema: infer S extends z.ZodType } ? z.infer<S> : never;

/** What an endpoint answers on success: the JSON body of its 200, 201 or 202 response. */
export type ApiResult<E extends Endpoint> = {
  [S in keyof E['responses'] & (200 | 201 | 202)]: JsonOf<E['responses'][S]['body']>;
}[keyof E['responses'] & (200 | 201 | 202)];

/**
 * The URL of a call to an endpoint: its path template filled in (each parameter URL-encoded) and
 * its query appended (undefined values left out). A parameter the template names but the call
 * lacks is an error here, not a request to a wrong path.
 */
export function apiUrl<E extends Endpoint>(endpoint: E, request: ApiRequest<E>): string {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${endpoint.path} needs its ${name}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {}))
    if (value !== undefined) query.set(key, value);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** The schema of an endpoint's successful JSON answer (200, 201 or 202), if it has one. */
export function resultSchema(endpoint: Endpoint): z.ZodType | null {
  for (const status of [200, 201, 202]) {
    const body = endpoint.responses[status]?.body;
    if (body?.kind === 'json') return body.schema;
  }
  return null;
}
