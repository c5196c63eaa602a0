import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

export interface SendFileOptions {
  contentType: string;
  /** Strong validator, e.g. the file's SHA-256; falls back to size and mtime. */
  etag?: string | null;
  cacheControl?: string;
}

/**
 * A file as an HTTP response: Content-Length, ETag/If-None-Match (304), Last-Modified, single
 * byte ranges (206, or 416 when unsatisfiable), HEAD without a body.
 */
export async function sendFile(
  request: Request,
  file: string,
  options: SendFileOptions,
): Promise<Response> {
  const info = await stat(file);
  const etag = `"${options.etag ?? `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`}"`;
  const headers = new Headers({
    'Content-Type': options.contentType,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': info.mtime.toUTCString(),
    'Cache-Control': options.cacheControl ?? 'private, max-age=0, must-revalidate',
  });
  const ifNoneMatch = request.headers.get('if-none-match');
  if (
    ifNoneMatch &&
    ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
  ) {
    return new Response(null, { status: 304, headers });
  }

  let start = 0;
  let end = info.size - 1;
  let status = 200;
  const range = request.headers.get('range');
  if (range) {
    const parsed = parseRange(range, info.size);
    if (parsed === 'unsatisfiable') {
      headers.set('Content-Range', `bytes */${info.size}`);
      return new Response(null, { status: 416, headers });
    }
    if (parsed) {
      [start, end] = parsed;
      status = 206;
      headers.set('Content-Range', `bytes ${start}-${end}/${info.size}`);
    }
  }
  const length = info.size === 0 ? 0 : end - start + 1;
  headers.set('Content-Length', String(length));
  if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
  const stream = createReadStream(file, { start, end, highWaterMark: 256 * 1024 });
  return new Response(Readable.toWeb(stream) as ReadableStream, { status, headers });
}

/**
 * One "bytes=" range → [start, end] inclusive; null to ignore the header (malformed or several
 * ranges: the whole file is sent, as RFC 9110 allows); 'unsatisfiable' for 416.
 */
export function parseRange(
  header: string,
  size: number,
): [number, number] | null | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return [start, end];
}
