import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MediaDetail } from '@immichvr/shared';
import busboy from 'busboy';
import { fileTypeFromFile } from 'file-type';
import type { Database } from '../db/database';
import { findMediaByChecksums } from '../db/queries/ingest.queries';
import { ensureMediaSource } from '../db/queries/media-sources.queries';
import {
  BadRequestError,
  ConflictError,
  type HttpProblem,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../errors';
import { describeMediaFile } from '../import/describe-media-file';
import type { DataLayout } from '../storage/data-layout';
import { storageProblem } from '../storage/storage-errors';
import { ingestMedia } from './ingest.service';
import { getMediaDetail } from './library.service';

/** Priority of the depth job of an upload: the user is waiting for it (import uses 7). */
export const UPLOAD_QUEUE_PRIORITY = 4;
/** The multipart field holding the file. */
const FILE_FIELD = 'file';

export interface UploadOptions {
  layout: DataLayout;
  ffprobePath: string;
  maxBytes: number;
  /** Photos larger than this (pixels) are refused before decoding. */
  maxPixels?: number;
}

interface ReceivedFile {
  partial: string;
  filename: string;
  checksum: string;
  bytes: number;
}

/**
 * Why writing the upload failed, as the client should hear it: a form cut short is the client's
 * doing (400); a full or read-only data folder is said plainly (507 / 503); anything else is ours.
 */
function uploadWriteProblem(error: Error): Error {
  const storage = storageProblem(error);
  if (storage) return storage;
  if ((error as NodeJS.ErrnoException).code) return error;
  return new BadRequestError(`malformed multipart request: ${error.message}`);
}

/**
 * Adds one uploaded photo or video: streamed to DATA_DIR/tmp while hashed (never held in memory),
 * typed by content, refused when the library already has it (409 with its id), then moved to
 * DATA_DIR/uploads and recorded with its depth job in one transaction. Whatever fails, no partial
 * file and no row stays behind.
 */
export async function uploadMedia(
  db: Database,
  headers: Record<string, string>,
  body: Readable,
  options: UploadOptions,
): Promise<MediaDetail> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes + 64 * 1024) {
    body.resume();
    throw tooLarge(options.maxBytes);
  }
  if (!/^multipart\/form-data\b/i.test(headers['content-type'] ?? ''))
    throw new UnsupportedMediaTypeError(
      `send multipart/form-data with the file in field "${FILE_FIELD}"`,
    );

  const received = await receiveFile(headers, body, options);
  let stored: string | undefined;
  try {
    const type = await fileTypeFromFile(received.partial);
    const extension = type?.ext ?? 'bin';
    const existing = await findMediaByChecksums(db, [received.checksum]);
    const duplicateId = existing.get(received.checksum);
    if (duplicateId) throw duplicate(duplicateId);

    const now = new Date();
    const folder = path.join(
      options.layout.uploads,
      String(now.getUTCFullYear()),
      String(now.getUTCMonth() + 1).padStart(2, '0'),
    );
    await mkdir(folder, { recursive: true });
    stored = path.join(folder, `${randomUUID()}.${extension}`);
    await rename(received.partial, stored);

    const row = await describeMediaFile(stored, {
      ffprobePath: options.ffprobePath,
      originalFilename: received.filename || `upload.${extension}`,
      checksum: received.checksum,
      fallbackCapturedAt: null,
      ...(options.maxPixels ? { maxPixels: options.maxPixels } : {}),
    });
    if ('reason' in row && row.tooLarge) throw new PayloadTooLargeError(row.reason);
    if ('reason' in row)
      throw new UnsupportedMediaTypeError(`not a photo or video the library takes: ${row.reason}`);

    const source = await ensureMediaSource(db, 'upload', 'uploads');
    const ingested = await ingestMedia(db, [{ ...row, sourceId: source.id }], {
      queuePriority: UPLOAD_QUEUE_PRIORITY,
      refuseDuplicateContent: true,
    });
    const refused = ingested.duplicates[0];
    if (refused) throw duplicate(refused.existingId);
    const id = ingested.added.get(row.filePath) as string;
    return await getMediaDetail(db, id);
  } catch (error) {
    await rm(received.partial, { force: true });
    if (stored) await rm(stored, { force: true });
    throw error;
  }
}

/** Streams the single file part to a partial file, hashing on the way. */
async function receiveFile(
  headers: Record<string, string>,
  body: Readable,
  options: UploadOptions,
): Promise<ReceivedFile> {
  await mkdir(options.layout.tmp, { recursive: true });
  const partial = path.join(options.layout.tmp, `upload-${randomUUID()}`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers,
      limits: { files: 1, fileSize: options.maxBytes, fields: 8, fieldSize: 4096, parts: 16 },
    });
  } catch (error) {
    body.resume();
    throw new BadRequestError(`malformed multipart request: ${(error as Error).message}`);
  }

  return new Promise<ReceivedFile>((resolve, reject) => {
    let writing: Promise<ReceivedFile> | undefined;
    let failure: HttpProblem | undefined;
    const fail = (problem: HttpProblem) => {
      failure ??= problem;
    };

    parser.on('file', (field, stream, info) => {
      if (field !== FILE_FIELD || writing) {
        // Drained and ignored; a form cut short errors here too, and that is the parser's to report.
        stream.on('error', () => {});
        stream.resume();
        return;
      }
      const hash = createHash('sha256');
      let bytes = 0;
      stream.on('limit', () => fail(tooLarge(options.maxBytes)));
      writing = pipeline(
        stream,
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            bytes += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(partial, { flags: 'wx' }),
      ).then(() => ({
        partial,
        filename: cleanFilename(info.filename),
        checksum: hash.digest('hex'),
        bytes,
      }));
      // Settled when the parser finishes; an early rejection must not go unhandled meanwhile.
      writing.catch(() => {});
    });
    parser.on('filesLimit', () => fail(new BadRequestError('send one file per request')));
    parser.on('partsLimit', () => fail(new BadRequestError('too many parts in the request')));

    const finish = async (error?: Error) => {
      const written = await writing?.catch((e: Error) => e);
      if (error || failure || !written || written instanceof Error) {
        await rm(partial, { force: true });
        if (failure) return reject(failure);
        if (error)
          return reject(new BadRequestError(`malformed multipart request: ${error.message}`));
        if (written instanceof Error) return reject(uploadWriteProblem(written));
        return reject(new BadRequestError(`the multipart field "${FILE_FIELD}" is missing`));
      }
      if (written.bytes === 0) {
        await rm(partial, { force: true });
        return reject(new BadRequestError('the uploaded file is empty'));
      }
      resolve(written);
    };
    parser.on('close', () => void finish());
    parser.on('error', (error: Error) => {
      body.unpipe(parser);
      body.resume();
      void finish(error);
    });
    body.on('error', (error) => void finish(error));
    body.pipe(parser);
  });
}

/**
 * The client's file name, reduced to a plain name that fits the column (255 characters). Browsers
 * escape `"`, CR and LF in multipart file names as %22, %0D, %0A (HTML's form encoding).
 */
function cleanFilename(name: string | undefined): string {
  const unescaped = (name ?? '').replace(/%22|%0D|%0A/gi, (m) =>
    m === '%22' ? '"' : m.toUpperCase() === '%0D' ? '\r' : '\n',
  );
  const base = path.basename(unescaped.replaceAll('\\', '/'));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return [...printable].slice(0, 255).join('');
}

function tooLarge(maxBytes: number) {
  return new PayloadTooLargeError(`uploads are limited to ${maxBytes} bytes`);
}

function duplicate(existingId: string) {
  return new ConflictError('the library already has this file', { existingId });
}
