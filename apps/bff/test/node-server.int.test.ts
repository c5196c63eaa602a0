import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { type RunningServer, startServer } from '../src/node-server';
import { sendFile } from '../src/storage/send-file';
import { rawGet } from './helpers/raw-get';

describe('startServer: file bodies written by the server', () => {
  let dir: string;
  let server: RunningServer;
  const bytes = randomBytes(300_000);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'node-server-'));
    const file = path.join(dir, 'f.bin');
    await writeFile(file, bytes);
    const app = new Hono<{ Bindings: HttpBindings }>()
      .use(async (c, next) => {
        await next();
        c.res.headers.set('X-Frame-Options', 'DENY');
        c.res.headers.append('Vary', 'Origin');
        c.res.headers.append('Vary', 'Cookie');
        setCookie(c, 'a', '1');
        setCookie(c, 'b', '2');
      })
      .get('/file', (c) => sendFile(c.req.raw, file, { contentType: 'application/octet-stream' }));
    server = await startServer(app, {
      port: 0,
      hostname: '127.0.0.1',
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends every header the middleware set, each cookie on its own line, with the range', async () => {
    const res = await rawGet(`${server.url}/file`, { Range: 'bytes=1000-200999' });
    expect(res.status).toBe(206);
    expect(res.body.equals(bytes.subarray(1000, 201_000))).toBe(true);
    expect(res.headers['content-range']).toBe(`bytes 1000-200999/${bytes.length}`);
    expect(res.headers['content-length']).toBe('200000');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers.vary).toBe('Origin, Cookie');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
  });
});
