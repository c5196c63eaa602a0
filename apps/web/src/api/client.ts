import {
  type HealthResponse,
  healthResponseSchema,
  type MediaDetail,
  type MediaPage,
  mediaDetailSchema,
  mediaPageSchema,
  problemSchema,
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

async function getJson<S extends z.ZodType>(url: string, schema: S): Promise<z.infer<S>> {
  const response = await fetch(url);
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = problemSchema.safeParse(body);
    throw new ApiError(
      response.status,
      problem.success ? (problem.data.detail ?? problem.data.title) : `HTTP ${response.status}`,
    );
  }
  return schema.parse(body);
}

export const api = {
  health: (): Promise<HealthResponse> => getJson('/api/health', healthResponseSchema),
  mediaPage: (cursor?: string, limit = 100): Promise<MediaPage> =>
    getJson(
      `/api/media?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      mediaPageSchema,
    ),
  mediaDetail: (id: string): Promise<MediaDetail> => getJson(`/api/media/${id}`, mediaDetailSchema),
};
