import {
  type DepthModelStatus,
  depthModelStatusSchema,
  type HealthResponse,
  healthResponseSchema,
  type MediaDetail,
  type MediaPage,
  mediaDetailSchema,
  mediaPageSchema,
  monthEnd,
  problemSchema,
  type QueueItem,
  queueItemSchema,
  type Timeline,
  timelineSchema,
} from '@immichvr/shared';
import type { z } from 'zod';

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
  const body: unknown = await response.json().catch(() => null);
  const problem = problemSchema.safeParse(body);
  return problem.success ? (problem.data.detail ?? problem.data.title) : `HTTP ${response.status}`;
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

export const api = {
  health: (): Promise<HealthResponse> => getJson('/api/health', healthResponseSchema),
  timeline: (filter: Record<string, string>): Promise<Timeline> =>
    getJson(`/api/timeline?${new URLSearchParams(filter)}`, timelineSchema),
  /** A page of one month, newest first (`before` the month's end), or the page after `cursor`. */
  monthPage: (
    filter: Record<string, string>,
    month: string,
    cursor: string | null,
    limit: number,
  ): Promise<MediaPage> =>
    getJson(
      `/api/media?${new URLSearchParams({
        ...filter,
        limit: String(limit),
        ...(cursor ? { cursor } : { before: monthEnd(month) }),
      })}`,
      mediaPageSchema,
    ),
  mediaDetail: (id: string): Promise<MediaDetail> => getJson(`/api/media/${id}`, mediaDetailSchema),
  /** Queues the item for a new depth map, first in line (joins a job already waiting). */
  reprocess: (id: string): Promise<QueueItem> =>
    getJson(`/api/media/${id}/reprocess`, queueItemSchema, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ priority: 1 }),
    }),
  cancel: (queueId: string): Promise<QueueItem> =>
    getJson(`/api/queue/${queueId}/cancel`, queueItemSchema, { method: 'POST' }),
  depthModel: (): Promise<DepthModelStatus> => getJson('/api/depth-model', depthModelStatusSchema),
  /** Starts (or resumes) fetching the offered depth model. */
  fetchDepthModel: (): Promise<DepthModelStatus> =>
    getJson('/api/depth-model/download', depthModelStatusSchema, { method: 'POST' }),
};
