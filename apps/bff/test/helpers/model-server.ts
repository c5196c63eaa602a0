import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stand-in model host answers the next requests. */
export type ModelServerMode =
  | { kind: 'ok' }
  | { kind: 'not-found' }
  /** Sends this many bytes of the answer, then drops the connection. */
  | { kind: 'cut'; after: number }
  /** Sends this many bytes of the answer, then nothing more (the connection stays open). */
  | { kind: 'stall'; after: number }
  /** Answers every request with the whole file (200), Range or not. */
  | { kind: 'ignore-range' };

/**
 * A stand-in for the model's host over real HTTP: serves one file at /model.onnx with
 * Content-Length, and byte ranges (206, Content-Range; 416 past the end) unless told otherwise.
 * Records each request's Range header.
 */
export async function startModelServer(file: Buffer) {
  let mode: ModelServerMode = { kind: 'ok' };
  let body = file;
  const requests: Array<{ range: string | undefined }> = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    requests.push({ range: req.headers.range });
    if (req.url !== '/model.onnx' || mode.kind === 'not-found') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = match && mode.kind !== 'ignore-range' ? Number(match[1]) : 0;
    if (start >= body.length && match && mode.kind !== 'ignore-range') {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const part = body.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(part.length),
      'accept-ranges': 'bytes',
      ...(start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (mode.kind === 'cut') {
      // A moment before hanging up, so the client has read what was sent (as on a real network).
      res.write(part.subarray(0, mode.after), () =>
        setTimeout(() => res.socket?.end(), 100).unref(),
      );
      return;
    }
    if (mode.kind === 'stall') {
      res.write(part.subarray(0, mode.after));
      return;
    }
    res.end(part);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/model.onnx`,
    requests,
    setMode(next: ModelServerMode) {
      mode = next;
    },
    /** Serve other bytes from now on (a changed or damaged file upstream). */
    serve(next: Buffer) {
      body = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
