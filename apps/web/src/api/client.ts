import {
  API,
  type ApiRequest,
  type ApiResult,
  apiUrl,
  type Endpoint,
  monthEnd,
  resultSchema,
} from '@immichvr/shared';
import type { z } from 'zod';
import { problemText } from '../lib/problem-text';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<S extends z.ZodType>(
  url: string,
  schema: S,
  init?: RequestInit,
): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, 'the server could not be reached');
  }
  if (!response.ok) throw new ApiError(response.status, await problemMessage(response));
  return schema.parse(await response.json().catch(() => null));
}

/** Why a response failed, in words: its problem detail, else its status. */
async function problemMessage(response: Response): Promise<string> {
  return problemText(await response.json().catch(() => null), response.status);
}

/** A file's bytes (a preview, a depth map); a failure says what could not be loaded and why. */
export async function fetchFile(url: string, what: string, signal?: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, `${what} could not be loaded: the server could not be reached`);
  }
  if (!response.ok)
    throw new ApiError(
      response.status,
      `${what} could not be loaded: ${await problemMessage(response)}`,
    );
  return response.blob();
}

/**
 * Calls an endpoint of the shared contract: its URL built from the contract's path, its answer
 * checked against (and typed by) the contract's schema. `body` is sent as JSON.
 */
export function callApi<E extends Endpoint>(
  endpoint: E,
  request: ApiRequest<E>,
  body?: unknown,
): Promise<ApiResult<E>> {
  const schema = resultSchema(endpoint);
  if (!schema) throw new Error(`${endpoint.path} answers no JSON`);
  const init: RequestInit = { method: endpoint.method.toUpperCase() };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  return getJson(apiUrl(endpoint, request), schema, init) as Promise<ApiResult<E>>;
}

export const api = {
  health: () => callApi(API.health, {}),
  timeline: (filter: Record<string, string>) => callApi(API.timeline, { query: filter }),
  /** A page of one month, newest first (`before` the month's end), or the page after `cursor`. */
  monthPage: (
    filter: Record<string, string>,
    month: string,
    cursor: string | null,
    limit: number,
  ) =>
    callApi(API.mediaList, {
      query: {
        ...filter,
        limit: String(limit),
        ...(cursor ? { cursor } : { before: monthEnd(month) }),
      },
    }),
  mediaDetail: (id: string) => callApi(API.mediaDetail, { params: { id } }),
  /** Queues the item for a new depth map, first in line (joins a job already waiting). */
  reprocess: (id: string) => callApi(API.reprocess, { params: { id } }, { priority: 1 }),
  cancel: (queueId: string) => callApi(API.queueCancel, { params: { queueId } }),
  depthModel: () => callApi(API.depthModel, {}),
  /** Starts (or resumes) fetching the offered depth model. */
  fetchDepthModel: () => callApi(API.depthModelDownload, {}),
  sources: () => callApi(API.sources, {}),
  /** Starts an Immich sync now; the sources' status as it starts. */
  syncImmich: () => callApi(API.immichSync, {}),
  collections: () => callApi(API.collections, {}),
};
