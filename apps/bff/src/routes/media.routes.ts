import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/database';
import {
  findDepthMapFile,
  findMediaFile,
  listMediaRoots,
  type MediaFileRow,
} from '../db/queries/library.queries';
import { BadRequestError, HttpProblem, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { getLibraryPage, isUuid } from '../services/library.service';
import { resolveInsideRoots } from '../storage/safe-path';
import { sendFile } from '../storage/send-file';

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

export function mediaRoutes(db: Database, dataDir: string, logger: Logger) {
  /** Serves a file the database points at, only from inside DATA_DIR or an imported media root. */
  const serve = async (request: Request, row: MediaFileRow | null, what: string) => {
    if (!row) throw new NotFoundError(`no ${what} for this media item`);
    const file = await resolveInsideRoots(row.file_path, [dataDir, ...(await listMediaRoots(db))]);
    if (!file) {
      logger.error(`${what} file missing or outside the media roots`, { path: row.file_path });
      throw new HttpProblem(404, 'Not Found', `the ${what} file is not available`);
    }
    return sendFile(request, file, { contentType: row.mime_type, etag: row.checksum });
  };
  const parseId = (id: string) => {
    if (!isUuid(id)) throw new BadRequestError('id must be a UUID');
    return id;
  };

  return new Hono()
    .get('/', async (c) => {
      const parsed = listQuerySchema.safeParse(c.req.query());
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new BadRequestError(
          `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      return c.json(await getLibraryPage(db, parsed.data.limit, parsed.data.cursor));
    })
    .on(['GET', 'HEAD'], '/:id/original', async (c) =>
      serve(c.req.raw, await findMediaFile(db, parseId(c.req.param('id'))), 'original'),
    )
    .on(['GET', 'HEAD'], '/:id/depth', async (c) =>
      serve(c.req.raw, await findDepthMapFile(db, parseId(c.req.param('id'))), 'depth map'),
    );
}
