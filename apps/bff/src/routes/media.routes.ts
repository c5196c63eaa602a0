import { Readable } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import {
  API,
  depthQuerySchema,
  mediaIdParamsSchema,
  mediaListQuerySchema,
  previewQuerySchema,
  reprocessRequestSchema,
} from '@immichvr/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app-deps';
import { BadRequestError, NotFoundError, UnprocessableError } from '../errors';
import { deleteMedia, getLibraryPage, getMediaDetail } from '../services/library.service';
import { previewOf } from '../services/preview.service';
import { requestReprocess } from '../services/processing.service';
import { uploadMedia } from '../services/upload.service';
import type { LocatedFile, LocateOptions } from '../storage/file-locator';
import {
  FileChangedError,
  isFinalAnswer,
  sendFile,
  serverWritesFileBodiesOf,
} from '../storage/send-file';
import { routePath } from './route-path';
import { parseInput } from './validate';

/** An item's files never change under its id; depth maps do (reprocessing), so they revalidate. */
const ORIGINAL_CACHE = 'private, max-age=86400';
const DEPTH_CACHE = 'private, no-cache';

/** Where these routes are mounted (app.ts); their paths are the shared contract's. */
export const MEDIA_MOUNT = '/api/media';

export function mediaRoutes(deps: AppDeps) {
  const { db, logger, layout, files } = deps;

  const idOf = (param: string | undefined) => parseInput(mediaIdParamsSchema, { id: param }).id;
  /** A remembered original that has since vanished from disk: forget it, answer 404. */
  const forgetOnMissing = (id: string) => (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    files.forget(id);
    logger.error('original file missing', { id });
    throw new NotFoundError('the original file is not available');
  };

  return new Hono<{ Bindings: HttpBindings }>()
    .get(routePath(API.mediaList, MEDIA_MOUNT), async (c) => {
      const query = parseInput(mediaListQuerySchema, c.req.query());
      return c.json(await getLibraryPage(db, query));
    })
    .post(routePath(API.upload, MEDIA_MOUNT), async (c) => {
      const body = c.env?.incoming ?? Readable.fromWeb((c.req.raw.body ?? emptyBody()) as never);
      const headers = Object.fromEntries(c.req.raw.headers);
      const item = await uploadMedia(db, headers, body, deps.uploads);
      logger.info('uploaded', { id: item.id, bytes: item.fileSizeBytes, type: item.mimeType });
      c.header('Location', `/api/media/${item.id}`);
      return c.json(item, 201);
    })
    .get('/:id', async (c) => c.json(await getMediaDetail(db, idOf(c.req.param('id')))))
    .delete(routePath(API.mediaDelete, MEDIA_MOUNT), async (c) => {
      const id = idOf(c.req.param('id'));
      const { originalRemoved } = await deleteMedia(db, layout, id);
      files.forget(id);
      logger.info('deleted', { id, originalRemoved });
      return c.body(null, 204);
    })
    .on(['GET', 'HEAD'], routePath(API.original, MEDIA_MOUNT), async (c) => {
      const id = idOf(c.req.param('id'));
      return locatedAnswer(
        c.req.raw,
        (locate) => files.original(id, locate),
        (found) =>
          sendFile(c.req.raw, found.file, {
            stats: found.stats,
            stillSame: found.stillSame,
            contentType: found.row.mime_type,
            etag: found.row.checksum,
            cacheControl: ORIGINAL_CACHE,
          }),
      ).catch(forgetOnMissing(id));
    })
    .on(['GET', 'HEAD'], routePath(API.preview, MEDIA_MOUNT), async (c) => {
      const id = idOf(c.req.param('id'));
      const { size } = parseInput(previewQuerySchema, c.req.query());
      const { file: preview, row } = await previewOf(deps, id, size);
      return sendFile(c.req.raw, preview, {
        contentType: 'image/jpeg',
        etag: `${row.checksum ?? id}-${size}`,
        cacheControl: ORIGINAL_CACHE,
      });
    })
    .on(['GET', 'HEAD'], routePath(API.depth, MEDIA_MOUNT), async (c) => {
      const mediaId = idOf(c.req.param('id'));
      const { size } = parseInput(depthQuerySchema, c.req.query());
      if (size === undefined) {
        let recorded = false;
        return locatedAnswer(
          c.req.raw,
          (locate) => files.depthMap(mediaId, locate),
          (found) => {
            // Once per request: not again for a response remade (its file changed under it).
            if (c.req.method === 'GET' && !recorded)
              void isFinalAnswer(c.req.raw).then(
                (final) => final && deps.depthAccess.record(found.row.id),
              );
            recorded = true;
            return sendFile(c.req.raw, found.file, {
              stats: found.stats,
              stillSame: found.stillSame,
              contentType: found.row.mime_type,
              etag: found.row.checksum,
              cacheControl: DEPTH_CACHE,
            });
          },
        );
      }
      const { file, row } = await files.depthMap(mediaId);
      if (row.mime_type !== 'image/png')
        throw new UnprocessableError(
          "only a photo's depth map has a coarse version (a video's depth is a video)",
        );
      const coarse = await deps.coarseDepth.get({ mediaId, depthMapId: row.id, file }, size);
      return sendFile(c.req.raw, coarse, {
        contentType: 'image/png',
        etag: `${row.checksum ?? row.id}-${size}`,
        cacheControl: DEPTH_CACHE,
      });
    })
    .post(routePath(API.reprocess, MEDIA_MOUNT), async (c) => {
      const id = idOf(c.req.param('id'));
      const text = await c.req.text();
      let json: unknown = {};
      if (text.trim() !== '') {
        try {
          json = JSON.parse(text);
        } catch {
          throw new BadRequestError('the body must be JSON, e.g. {"priority": 3}');
        }
      }
      const { priority } = parseInput(reprocessRequestSchema, json);
      const { job, created } = await requestReprocess(db, id, priority);
      if (created) logger.info('reprocess queued', { mediaId: id, queueId: job.id, priority });
      return c.json(job, created ? 202 : 200);
    });
}

/**
 * A located file's answer. Where the server writes file bodies itself (node-server.ts), and so
 * holds them until the path's check passes, that check overlaps the file's read (FileLocator's
 * overlapCheck); a file found changed meanwhile is located and answered again.
 */
async function locatedAnswer<F extends LocatedFile<unknown>>(
  request: Request,
  locate: (options: LocateOptions) => Promise<F>,
  answer: (found: F) => Promise<Response>,
): Promise<Response> {
  const overlapCheck = serverWritesFileBodiesOf(request);
  try {
    return await answer(await locate({ overlapCheck }));
  } catch (error) {
    if (!(error instanceof FileChangedError)) throw error;
    return answer(await locate({}));
  }
}

function emptyBody(): ReadableStream {
  return new ReadableStream({ start: (controller) => controller.close() });
}
