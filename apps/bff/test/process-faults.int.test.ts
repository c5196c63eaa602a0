import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mediaPageSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnApp } from './helpers/app-process';
import { writeTestJpeg } from './helpers/media-fixtures';
import { startTestServer, type TestServer } from './helpers/test-server';

/** This process's open file descriptors and what they point at. */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '(closed)';
    }
  });
}

describe('clients going away mid-stream', () => {
  let s: TestServer;
  let big: string;
  let id: string;

  beforeAll(async () => {
    s = await startTestServer('embedded', { heartbeatMs: 200 });
    big = path.join(s.dataDir, 'big-original.jpg');
    await writeFile(big, Buffer.alloc(40 * 1024 ** 2, 7));
    const { rows } = await s.t.db.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       VALUES ('big.jpg', 'photo', $1, $2, 'image/jpeg') RETURNING id`,
      [big, 40 * 1024 ** 2],
    );
    id = (rows[0] as { id: string }).id;
  });
  afterAll(async () => s?.close());

  it('leaks no file descriptor: originals, ranges and event streams dropped half-way', async () => {
    // Warm up (first request opens what stays open: the locator's cache, lazily loaded modules).
    await (
      await s.get(`/api/media/${id}/original`, { headers: { range: 'bytes=0-10' } })
    ).arrayBuffer();
    const before = openFiles();
    const dropAfterFirstChunk = async (pathname: string, headers: Record<string, string> = {}) => {
      const abort = new AbortController();
      const res = await fetch(`${s.url}${pathname}`, { headers, signal: abort.signal });
      const reader = res.body?.getReader();
      await reader?.read();
      abort.abort();
      await reader?.cancel().catch(() => {});
    };
    const drops: Array<Promise<void>> = [];
    for (let i = 0; i < 40; i++) {
      drops.push(dropAfterFirstChunk(`/api/media/${id}/original`));
      drops.push(dropAfterFirstChunk(`/api/media/${id}/original`, { range: `bytes=${i * 1000}-` }));
      if (i % 4 === 0) drops.push(dropAfterFirstChunk('/api/events'));
    }
    await Promise.all(drops);
    // The server notices closed sockets on its next write; give it a moment.
    let after: string[] = [];
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = openFiles();
      if (!after.includes(big) && after.length <= before.length + 2) break;
    }
    console.log(
      `open file descriptors: ${before.length} before, ${after.length} after 100 dropped streams`,
    );
    expect(after.filter((f) => f === big)).toEqual([]);
    expect(after.length).toBeLessThanOrEqual(before.length + 2);
    // And the server still serves.
    expect((await s.get('/api/health')).status).toBe(200);
  }, 60_000);
});

describe('the embedded database killed hard', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-kill9-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('keeps every committed row when the app is SIGKILLed and started again', async () => {
    const port = await freePort();
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), LOG_LEVEL: 'info' };
    const photos = await mkdtemp(path.join(os.tmpdir(), 'immichvr-kill9-photos-'));
    const app = await spawnApp(env, [], /listening/);
    const committed: string[] = [];
    const queued: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const file = path.join(photos, `p${i}.jpg`);
        await writeTestJpeg(file, { width: 64, height: 48, seed: i + 1 });
        const form = new FormData();
        form.append('file', new Blob([await readFile(file)]), `p${i}.jpg`);
        const res = await fetch(`http://127.0.0.1:${port}/api/media`, {
          method: 'POST',
          body: form,
        });
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as { id: string };
        committed.push(id);
        const job = await fetch(`http://127.0.0.1:${port}/api/media/${id}/reprocess`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"priority":2}',
        });
        if (job.status === 202 || job.status === 200)
          queued.push(((await job.json()) as { id: string }).id);
      }
    } finally {
      await app.stop('SIGKILL');
      await rm(photos, { recursive: true, force: true });
    }
    // The lock of the killed process is stale: the new one takes over.
    const again = await spawnApp(env, [], /listening/);
    try {
      const page = mediaPageSchema.parse(
        await (await fetch(`http://127.0.0.1:${port}/api/media?limit=200`)).json(),
      );
      const ids = page.items.map((i) => i.id);
      for (const id of committed) expect(ids).toContain(id);
      const jobs = (await (await fetch(`http://127.0.0.1:${port}/api/queue?limit=200`)).json()) as {
        items: Array<{ id: string }>;
      };
      for (const id of queued) expect(jobs.items.map((j) => j.id)).toContain(id);
      for (const item of page.items)
        expect((await fetch(`http://127.0.0.1:${port}/api/media/${item.id}/original`)).status).toBe(
          200,
        );
    } finally {
      await again.stop();
    }
  }, 120_000);
});
