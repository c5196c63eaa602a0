import type { z } from 'zod';
import {
  deviceSessionListSchema,
  pairingRequestSchema,
  pairingResponseSchema,
  pairingTicketSchema,
  sessionRevokeParamsSchema,
  sessionRevokeResponseSchema,
} from './access';
import { depthModelStatusSchema } from './depth-model';
import { mediaChangeEventSchema, mediaStatusEventSchema, resyncEventSchema } from './events';
import { healthResponseSchema } from './health';
import {
  depthQuerySchema,
  mediaDetailSchema,
  mediaIdParamsSchema,
  mediaListQuerySchema,
  mediaPageSchema,
  previewQuerySchema,
} from './media';
import {
  queueIdParamsSchema,
  queueItemSchema,
  queueListQuerySchema,
  queuePageSchema,
  queueSummarySchema,
  reprocessRequestSchema,
} from './queue';
import { collectionListSchema, sourcesResponseSchema } from './sources';
import { libraryFilterQuerySchema, timelineSchema } from './timeline';

type Body =
  | { kind: 'json'; schema: z.ZodType }
  | { kind: 'binary'; contentTypes: readonly string[] }
  | { kind: 'multipart'; field: string }
  | { kind: 'event-stream'; events: Record<string, z.ZodType> };

export interface Endpoint {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path template, e.g. /api/media/{id}. */
  path: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: Body;
  /** Success responses by status; errors are always problem+json. */
  responses: Record<number, { description: string; body?: Body; headers?: readonly string[] }>;
  /** Error statuses this endpoint answers with (problem+json). */
  problems: readonly number[];
}

/** A JSON body, its schema's type kept (the web client's results are typed from it). */
const json = <S extends z.ZodType>(schema: S) => ({ kind: 'json' as const, schema });
const fileHeaders = ['ETag', 'Last-Modified', 'Accept-Ranges', 'Content-Length', 'Cache-Control'];
const fileResponses = (contentTypes: string[]) => ({
  200: {
    description: 'the whole file',
    body: { kind: 'binary', contentTypes } as Body,
    headers: fileHeaders,
  },
  206: {
    description: 'one byte range (Range: bytes=…)',
    body: { kind: 'binary', contentTypes } as Body,
    headers: [...fileHeaders, 'Content-Range'],
  },
  304: { description: 'unchanged (If-None-Match)' },
});

/**
 * Every endpoint of the API, by name: defined here once. The BFF registers its routes from these
 * paths (routes/route-path.ts; a test checks that every one is served and nothing else under
 * /api), the web client calls them through `apiUrl` with the response schema named here, and the
 * OpenAPI document is generated from them.
 */
export const API = {
  health: {
    method: 'get',
    path: '/api/health',
    summary: 'Whether the server and its database are up',
    responses: { 200: { description: 'up', body: json(healthResponseSchema) } },
    problems: [503],
  },
  mediaList: {
    method: 'get',
    path: '/api/media',
    summary: 'A page of the library, newest capture first (keyset cursor)',
    query: mediaListQuerySchema,
    responses: { 200: { description: 'a page', body: json(mediaPageSchema) } },
    problems: [400],
  },
  timeline: {
    method: 'get',
    path: '/api/timeline',
    summary: 'How many items each month holds, newest first (the gallery layout and scrubber)',
    query: libraryFilterQuerySchema,
    responses: { 200: { description: 'the months', body: json(timelineSchema) } },
    problems: [400],
  },
  collections: {
    method: 'get',
    path: '/api/collections',
    summary: 'Albums and people (from Immich) with their item counts: the gallery filters',
    responses: { 200: { description: 'by kind, then name', body: json(collectionListSchema) } },
    problems: [],
  },
  sources: {
    method: 'get',
    path: '/api/sources',
    summary: 'Where the sync with the Immich server stands (last run, counts, last error)',
    responses: { 200: { description: 'the sources', body: json(sourcesResponseSchema) } },
    problems: [],
  },
  immichSync: {
    method: 'post',
    path: '/api/sources/immich/sync',
    summary: 'Sync with the Immich server now (joins a run in progress)',
    responses: { 202: { description: 'started', body: json(sourcesResponseSchema) } },
    problems: [404],
  },
  upload: {
    method: 'post',
    path: '/api/media',
    summary: 'Upload one photo or video (multipart field `file`); queued for depth',
    body: { kind: 'multipart', field: 'file' },
    responses: { 201: { description: 'added', body: json(mediaDetailSchema) } },
    problems: [400, 409, 413, 415],
  },
  mediaDetail: {
    method: 'get',
    path: '/api/media/{id}',
    summary: 'One item with its file facts',
    params: mediaIdParamsSchema,
    responses: { 200: { description: 'the item', body: json(mediaDetailSchema) } },
    problems: [400, 404],
  },
  mediaDelete: {
    method: 'delete',
    path: '/api/media/{id}',
    summary:
      'Remove an item: its rows, previews and depth maps, and its original when it lives in the data folder',
    params: mediaIdParamsSchema,
    responses: { 204: { description: 'deleted' } },
    problems: [400, 404, 409],
  },
  original: {
    method: 'get',
    path: '/api/media/{id}/original',
    summary: 'The original file (also HEAD), with ranges and validators',
    params: mediaIdParamsSchema,
    responses: fileResponses(['image/*', 'video/*']),
    problems: [400, 404, 416],
  },
  preview: {
    method: 'get',
    path: '/api/media/{id}/preview',
    summary: 'A downscaled, EXIF-oriented JPEG (a frame for videos)',
    params: mediaIdParamsSchema,
    query: previewQuerySchema,
    responses: fileResponses(['image/jpeg']),
    problems: [400, 404, 415, 416, 422],
  },
  depth: {
    method: 'get',
    path: '/api/media/{id}/depth',
    summary:
      "The depth map (16-bit grey PNG, near = high; a video's is an MP4), or its coarse version (`size`)",
    params: mediaIdParamsSchema,
    query: depthQuerySchema,
    responses: fileResponses(['image/png', 'video/mp4']),
    problems: [400, 404, 416, 422],
  },
  reprocess: {
    method: 'post',
    path: '/api/media/{id}/reprocess',
    summary: 'Queue the item for depth; joins an unfinished job instead of adding one',
    params: mediaIdParamsSchema,
    body: json(reprocessRequestSchema),
    responses: {
      200: { description: 'an unfinished job already existed', body: json(queueItemSchema) },
      202: { description: 'queued', body: json(queueItemSchema) },
    },
    problems: [400, 404],
  },
  queueList: {
    method: 'get',
    path: '/api/queue',
    summary: 'Queue items, newest first',
    query: queueListQuerySchema,
    responses: { 200: { description: 'a page', body: json(queuePageSchema) } },
    problems: [400],
  },
  queueSummary: {
    method: 'get',
    path: '/api/queue/summary',
    summary: 'Rows of the processing_queue_summary view',
    responses: { 200: { description: 'counts by status', body: json(queueSummarySchema) } },
    problems: [],
  },
  queueCancel: {
    method: 'post',
    path: '/api/queue/{queueId}/cancel',
    summary: 'Cancel a pending, queued or processing job',
    params: queueIdParamsSchema,
    responses: { 200: { description: 'cancelled', body: json(queueItemSchema) } },
    problems: [400, 404, 409],
  },
  events: {
    method: 'get',
    path: '/api/events',
    summary:
      'Server-Sent Events: media.status, media.added, media.deleted, resync; Last-Event-ID resumes',
    responses: {
      200: {
        description: 'an event stream',
        body: {
          kind: 'event-stream',
          events: {
            'media.status': mediaStatusEventSchema,
            'media.added': mediaChangeEventSchema,
            'media.deleted': mediaChangeEventSchema,
            resync: resyncEventSchema,
          },
        },
      },
    },
    problems: [],
  },
  pairingRequest: {
    method: 'post',
    path: '/api/pairing/requests',
    summary:
      'Ask for a pairing code (LAN mode): it is printed in the terminal, for this device alone (ticket cookie)',
    responses: {
      201: { description: 'code issued', body: json(pairingTicketSchema), headers: ['Set-Cookie'] },
    },
    problems: [404, 429],
  },
  pairing: {
    method: 'post',
    path: '/api/pairing',
    summary:
      'Pair this device with the code shown in the terminal (LAN mode); sets the session cookie',
    body: json(pairingRequestSchema),
    responses: {
      201: { description: 'paired', body: json(pairingResponseSchema), headers: ['Set-Cookie'] },
    },
    problems: [400, 403, 404, 429],
  },
  sessions: {
    method: 'get',
    path: '/api/sessions',
    summary: 'Paired devices (this machine, a paired device or API_TOKEN)',
    responses: { 200: { description: 'the sessions', body: json(deviceSessionListSchema) } },
    problems: [401],
  },
  sessionRevoke: {
    method: 'post',
    path: '/api/sessions/{id}/revoke',
    summary: 'Revoke a paired device (an id prefix, or all); it must pair again',
    params: sessionRevokeParamsSchema,
    responses: { 200: { description: 'revoked', body: json(sessionRevokeResponseSchema) } },
    problems: [400, 401, 403, 404],
  },
  depthModel: {
    method: 'get',
    path: '/api/depth-model',
    summary: 'What makes depth maps now, the model the app can fetch, and its download',
    responses: { 200: { description: 'the status', body: json(depthModelStatusSchema) } },
    problems: [],
  },
  depthModelDownload: {
    method: 'post',
    path: '/api/depth-model/download',
    summary:
      'Start (or resume) fetching Depth Anything V2 Small into DATA_DIR/models; poll the status',
    responses: {
      202: { description: 'downloading', body: json(depthModelStatusSchema) },
      200: { description: 'already installed or downloading', body: json(depthModelStatusSchema) },
    },
    problems: [409],
  },
  openApi: {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1' } },
    problems: [],
  },
} as const satisfies Record<string, Endpoint>;

/** The endpoints as a list (the OpenAPI document, tests that visit each). */
export const API_ENDPOINTS: Endpoint[] = Object.values(API);
