import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, gzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet } from './helpers/raw-get';
import { startTestServer, type TestServer } from './helpers/test-server';

describe('serving the built web app', () => {
  let s: TestServer;
  let dist: string;
  const script = `console.log(${JSON.stringify('x'.repeat(5000))});`;

  beforeAll(async () => {
    dist = await mkdtemp(path.join(os.tmpdir(), 'immichvr-dist-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>ImmichVR</title>');
    const js = path.join(dist, 'assets', 'app-1a2b3c.js');
    await writeFile(js, script);
    await writeFile(`${js}.br`, await promisify(brotliCompress)(script));
    await writeFile(`${js}.gz`, await promisify(gzip)(script));
    s = await startTestServer('embedded', { webDistDir: dist });
  });
  afterAll(async () => {
    await s?.close();
    await rm(dist, { recursive: true, force: true });
  });

  /** Raw bytes and headers, without fetch's transparent decompression. */
  const raw = (pathname: string, acceptEncoding: string) =>
    rawGet(`${s.url}${pathname}`, { 'Accept-Encoding': acceptEncoding });

  it('serves the precompressed asset the browser accepts, with a year of caching', async () => {
    const br = await raw('/assets/app-1a2b3c.js', 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    expect(br.body.length).toBeLessThan(script.length / 10);

    expect((await raw('/assets/app-1a2b3c.js', 'gzip')).headers['content-encoding']).toBe('gzip');
    const plain = await raw('/assets/app-1a2b3c.js', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('answers client-side routes and odd paths with index.html, never a file outside', async () => {
    for (const pathname of ['/', '/photo/123', '/..%2f..%2fetc%2fpasswd', '/%E0%A4%A']) {
      const res = await raw(pathname, '');
      expect(res.status, pathname).toBe(200);
      expect(res.body.toString(), pathname).toContain('<title>ImmichVR</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    expect((await raw('/assets/missing-4d5e6f.js', 'br')).status).toBe(404);
  });
});
