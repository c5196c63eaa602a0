import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FileIdentity } from './open-files';

export interface SendFileOptions {
  contentType: string;
  /** Strong validator, e.g. the file's SHA-256; falls back to size and mtime. */
  etag?: string | null;
  cacheControl?: string;
  /** The file's stat when the caller has just made it (FileLocator's check): not made again. */
  stats?: Stats;
  /**
   * `stats` are the file's as last checked and its path is being checked again (FileLocator's
   * overlapCheck): nothing is sent before this is true. A response without a body waits for it
   * here; a body is read meanwhile and held until it (see FileBody). false: FileChangedError.
   */
  stillSame?: Promise<boolean>;
}

/** The file changed (or its path names another) since the stats a response was made from. */
export class FileChangedError extends Error {
  override name = 'FileChangedError';
  constructor() {
    super('the file changed since it was last looked at');
  }
}

/** The byte range of a file a response body streams (read by the Node server's fast path). */
export interface FileBody {
  file: string;
  start: number;
  end: number;
  /** The file the path named when its headers were made (an open descriptor must be that one). */
  identity: FileIdentity;
  /** See SendFileOptions.stillSame: the body may be read, not sent, before this is true. */
  stillSame?: Promise<boolean>;
  /** The response's status (200 or 206). */
  status: number;
}

/**
 * The current dispatch of each request whose server writes file bodies itself (node-server.ts),
 * made anew per dispatch (a request answered again is dispatched again):
 * - `body`: the file body sendFile left to the server (null until there is one). Kept by request,
 *   not on the response: a middleware that makes the response anew keeps its headers and status,
 *   and the server still finds the file.
 * - `final`: settled true once this dispatch's response is the one the client gets, false when the
 *   server answers the request again instead (the file changed under a body made from its last
 *   known stat).
 */
interface Dispatch {
  body: FileBody | null;
  final: Promise<boolean>;
  settle(final: boolean): void;
}
const dispatches = new WeakMap<Request, Dispatch>();

/** This request's server writes the file bodies of its responses (takeFileBody, settleAnswer). */
export function serverWritesFileBodies(request: Request): void {
  let settle: (final: boolean) => void = () => undefined;
  const final = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  dispatches.set(request, { body: null, final, settle });
}

/** Whether this request's server writes file bodies itself (serverWritesFileBodies). */
export function serverWritesFileBodiesOf(request: Request): boolean {
  return dispatches.has(request);
}

/**
 * Whether this dispatch's response is the one the client gets: for what is said once per request
 * (its log line, a depth map's read). Ask after the response is made. True at once where the
 * server does not write file bodies itself: the response is always final there.
 */
export function isFinalAnswer(request: Request): Promise<boolean> {
  return dispatches.get(request)?.final ?? Promise.resolve(true);
}

/** The server's word on this dispatch's response (see isFinalAnswer). */
export function settleAnswer(request: Request, final: boolean): void {
  dispatches.get(request)?.settle(final);
}

/**
 * The file body sendFile left to the server for this request, if the response still is that file's
 * (same status and length): taken, so a request answered again gets its own.
 */
export function takeFileBody(request: Request, response: Response): FileBody | undefined {
  const dispatch = dispatches.get(request);
  const body = dispatch?.body;
  if (!dispatch || !body) return undefined;
  dispatch.body = null;
  const length = String(body.end - body.start + 1);
  if (response.status !== body.status || response.headers.get('content-length') !== length)
    return undefined;
  return body;
}

/**
 * Read size per chunk: 1 MiB measured ~1.5× the throughput of 256 KiB on loopback (fewer trips
 * through the event loop), and 64 clients streaming at once still hold only 64 MiB.
 */
export const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * A file as an HTTP response: Content-Length, ETag/If-None-Match (304), Last-Modified, single
 * byte ranges (206, or 416 when unsatisfiable), HEAD without a body. Where the server writes file
 * bodies itself (node-server.ts: positioned reads from a kept descriptor, straight to the socket)
 * the response has none and the range is left to it (takeFileBody); elsewhere the body is a stream
 * that opens the file only when read.
 */
export async function sendFile(
  request: Request,
  file: string,
  options: SendFileOptions,
): Promise<Response> {
  const info = options.stats ?? (await stat(file));
  /** A response with no body of the file: sent only once the stats it was made from hold. */
  const headersOnly = async (init: ResponseInit) => {
    if (options.stillSame && !(await options.stillSame)) throw new FileChangedError();
    return new Response(null, init);
  };
  const etag = `"${options.etag ?? `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`}"`;
  const headers = new Headers({
    'Content-Type': options.contentType,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': info.mtime.toUTCString(),
    'Cache-Control': options.cacheControl ?? 'private, no-cache',
  });
  if (matchesEtag(request.headers.get('if-none-match'), etag)) {
    return headersOnly({ status: 304, headers });
  }

  let start = 0;
  let end = info.size - 1;
  let status = 200;
  const range = request.headers.get('range');
  // If-Range: a range of a different version than the client holds would corrupt its copy.
  const ifRange = request.headers.get('if-range');
  if (range && (!ifRange || ifRange === etag)) {
    const parsed = parseRange(range, info.size);
    if (parsed === 'unsatisfiable') {
      headers.set('Content-Range', `bytes */${info.size}`);
      return headersOnly({ status: 416, headers });
    }
    if (parsed) {
      [start, end] = parsed;
      status = 206;
      headers.set('Content-Range', `bytes ${start}-${end}/${info.size}`);
    }
  }
  const length = info.size === 0 ? 0 : end - start + 1;
  headers.set('Content-Length', String(length));
  if (request.method === 'HEAD' || length === 0) return headersOnly({ status, headers });

  const body: FileBody = {
    file,
    start,
    end,
    status,
    identity: { dev: info.dev, ino: info.ino },
    ...(options.stillSame ? { stillSame: options.stillSame } : {}),
  };
  // The server writes it: no web stream is made (it cost ~12% of a 1 MB range's throughput).
  const dispatch = dispatches.get(request);
  if (dispatch) {
    dispatch.body = body;
    return new Response(null, { status, headers });
  }
  return new Response(lazyFileStream(body), { status, headers });
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** A web stream of the range that opens the file on first read (never, on the fast path). */
function lazyFileStream({ file, start, end, stillSame }: FileBody): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Overlapped checks are asked for only where the server writes the body (node-server.ts,
        // which answers a changed file again); should one reach here, a changed file cuts it short.
        if (!reader && stillSame && !(await stillSame)) throw new FileChangedError();
        reader ??= (
          Readable.toWeb(
            createReadStream(file, { start, end, highWaterMark: FILE_CHUNK_BYTES }),
          ) as ReadableStream<Uint8Array>
        ).getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        await reader?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * One "bytes=" range → [start, end] inclusive; null to ignore the header (malformed or several
 * ranges: the whole file is sent, as RFC 9110 allows); 'unsatisfiable' for 416.
 */
export function parseRange(
  header: string,
  size: number,
): [number, number] | null | 'unsatisfiable' {
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
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
