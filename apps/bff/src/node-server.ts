import { createReadStream, read } from 'node:fs';
import type { ServerResponse } from 'node:http';
import http from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Hono } from 'hono';
import type { Logger } from './logger';
import { OpenFiles } from './storage/open-files';
import { FILE_CHUNK_BYTES, fileBodyOf } from './storage/send-file';

export interface RunningServer {
  /** e.g. http://127.0.0.1:21370 */
  url: string;
  port: number;
  /** Stops accepting, ends open connections (event streams never end by themselves). */
  close(): Promise<void>;
}

/**
 * Serves the app on Node. File responses (sendFile) are written straight to the socket after every
 * middleware has had its say on the headers: a body up to 1 MiB (a range) with one positioned read
 * from a descriptor kept open for the next request (OpenFiles) and one write; anything larger with
 * stream.pipeline (about twice the throughput of a web stream; the file is closed however the
 * response ends).
 */
export function startServer(
  app: Hono<{ Bindings: HttpBindings }>,
  options: { port: number; hostname: string; logger: Logger; tls?: { cert: string; key: string } },
): Promise<RunningServer> {
  const openFiles = new OpenFiles();
  const fetch = async (request: Request, env: HttpBindings | Http2Bindings) => {
    const response = await app.fetch(request, env as HttpBindings);
    const body = fileBodyOf(response);
    if (!body || !env?.outgoing) return response;
    const outgoing = env.outgoing as ServerResponse | Http2ServerResponse;
    const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    outgoing.writeHead(response.status, headers);
    const length = body.end - body.start + 1;
    // Kept descriptors serve small bodies only: whole files streamed from a shared descriptor
    // measured slower than from their own (0.79–1.00× against 1.04–1.33× of bare node:http).
    const lease =
      length <= FILE_CHUNK_BYTES
        ? await openFiles.acquire(body.file, body.identity).catch(() => undefined)
        : undefined;
    if (lease) {
      // A range or small file: one positioned read, one write; no stream to set up.
      const buffer = Buffer.allocUnsafe(length);
      read(lease.fd, buffer, 0, length, body.start, (error, bytesRead) => {
        lease.release();
        if (error || bytesRead < length) {
          // The file shrank or broke since its headers were sent: the client must not wait.
          outgoing.destroy(error ?? undefined);
          options.logger.warn('file read failed', {
            error: error?.message ?? `read ${bytesRead} of ${length} bytes`,
          });
        } else outgoing.end(buffer);
      });
      return RESPONSE_ALREADY_SENT;
    }
    const file = createReadStream(body.file, {
      start: body.start,
      end: body.end,
      highWaterMark: FILE_CHUNK_BYTES,
    });
    pipeline(file, outgoing as ServerResponse).catch((error: NodeJS.ErrnoException) => {
      // A client going away mid-file is normal (seeking video, closing a photo).
      if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE')
        options.logger.warn('file stream failed', { error: error.message });
    });
    return RESPONSE_ALREADY_SENT;
  };

  return new Promise((resolve) => {
    const tls = options.tls
      ? {
          createServer: https.createServer,
          serverOptions: { cert: options.tls.cert, key: options.tls.key },
        }
      : {};
    const server = serve(
      { fetch, port: options.port, hostname: options.hostname, ...tls },
      (info) => {
        const { address, port } = info as AddressInfo;
        resolve({
          url: `${options.tls ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}`,
          port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
              openFiles.close();
            }),
        });
      },
    );
  });
}

/**
 * Plain HTTP on the LAN only sends browsers to HTTPS (a headset offers WebXR on secure pages
 * only). The Host header picks the name the device used; anything odd gets the first address.
 */
export function startHttpsRedirect(options: {
  port: number;
  hostname: string;
  httpsPort: number;
  fallbackHost: string;
}): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const given = (request.headers.host ?? '').replace(/:\d+$/, '');
    const host = /^[a-z0-9.-]{1,253}$/i.test(given) ? given : options.fallbackHost;
    const target = `https://${host}:${options.httpsPort}${(request.url ?? '/').startsWith('/') ? request.url : '/'}`;
    response.writeHead(308, { Location: target, 'Content-Length': '0' }).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname, () =>
      resolve({
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    );
  });
}
