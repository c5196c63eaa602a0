import type { ServerResponse } from 'node:http';
import http from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Hono } from 'hono';
import type { Logger } from './logger';
import { OpenFiles } from './storage/open-files';
import { ReadBuffers } from './storage/read-buffers';
import { serverWritesFileBodies, settleAnswer, takeFileBody } from './storage/send-file';
import { RANGE_CHUNK_BYTES, writeFileRange } from './storage/write-file-range';

export interface RunningServer {
  /** e.g. http://127.0.0.1:21370 */
  url: string;
  port: number;
  /** Stops accepting, ends open connections (event streams never end by themselves). */
  close(): Promise<void>;
}

/**
 * Serves the app on Node. File responses (sendFile) are written straight to the socket after every
 * middleware has had its say on the headers: positioned reads from a descriptor kept open for the
 * next request (OpenFiles), each chunk written as it arrives (writeFileRange; a range up to 2 MiB
 * is one read and one write) into buffers used again once the socket has taken them (ReadBuffers).
 * About twice the throughput of the response's web stream.
 * A body made from a file's remembered stat (FileBody.stillSame) is read while its path is checked
 * and sent, head included, only if the check says it is the same file; else the request is answered
 * again (a changed file is then checked afresh).
 */
export function startServer(
  app: Hono<{ Bindings: HttpBindings }>,
  options: { port: number; hostname: string; logger: Logger; tls?: { cert: string; key: string } },
): Promise<RunningServer> {
  const openFiles = new OpenFiles();
  const readBuffers = new ReadBuffers(RANGE_CHUNK_BYTES);
  /** `again`: this request's file changed under its first answer, which was never sent. */
  const fetch = async (
    request: Request,
    env: HttpBindings | Http2Bindings,
    again = false,
  ): Promise<Response | typeof RESPONSE_ALREADY_SENT> => {
    if (env?.outgoing) serverWritesFileBodies(request);
    const response = await app.fetch(request, env as HttpBindings);
    const body = env?.outgoing ? takeFileBody(request, response) : undefined;
    if (!body) {
      settleAnswer(request, true);
      return response;
    }
    const outgoing = env.outgoing as ServerResponse | Http2ServerResponse;
    /** The head and body were made from a file's last known stat, which no longer holds. */
    const changed = async () => !!body.stillSame && !(await body.stillSame);
    const answerAgain = () => {
      if (!again && !outgoing.destroyed) {
        settleAnswer(request, false);
        return fetch(request, env, true);
      }
      // Changed again between two looks: the client asks again.
      settleAnswer(request, true);
      outgoing.destroy(new Error('the file kept changing while it was being sent'));
      return RESPONSE_ALREADY_SENT;
    };
    const lease = await openFiles.acquire(body.file, body.identity).catch(async (error: Error) => {
      if (await changed()) return undefined;
      outgoing.destroy(error);
      options.logger.warn('file open failed', { error: error.message });
      return null;
    });
    if (lease === undefined) return answerAgain();
    if (!lease) {
      settleAnswer(request, true);
      return RESPONSE_ALREADY_SENT;
    }
    const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    const written = writeFileRange(outgoing, lease.fd, body.start, body.end, {
      head: () => outgoing.writeHead(response.status, headers),
      ...(body.stillSame ? { ready: body.stillSame } : {}),
      // HTTP/1 (all this server speaks, TLS included): a write's callback means the socket is done.
      ...(outgoing instanceof http.ServerResponse ? { buffers: readBuffers } : {}),
    });
    // A head made from a last known stat: wait (the first read runs meanwhile) for the path's check.
    if (await changed()) {
      await written.catch(() => undefined);
      lease.release();
      return answerAgain();
    }
    settleAnswer(request, true);
    written
      .catch((error: Error) => options.logger.warn('file read failed', { error: error.message }))
      .finally(() => lease.release());
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
              readBuffers.clear();
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
