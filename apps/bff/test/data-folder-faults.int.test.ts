import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthFilesAndRowsAgree } from './helpers/files';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

/**
 * DATA_DIR on a real 24 MB tmpfs, filled up and remounted read-only. Needs root (mount); the
 * machines the tests run on have it. Where mount is refused the suite says so and is skipped.
 */
const canMount = (() => {
  try {
    const probe = execFileSync('mktemp', ['-d']).toString().trim();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    console.warn('data-folder faults skipped: this machine does not allow mounting a tmpfs');
    return false;
  }
})();

async function fillUp(folder: string): Promise<string> {
  const filler = path.join(folder, 'filler');
  const handle = await open(filler, 'w');
  const chunk = Buffer.alloc(256 * 1024);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    await handle.close();
  }
  return filler;
}

describe.skipIf(!canMount).each(ENGINES)('a full or read-only data folder (%s)', (engine) => {
  let mountPoint: string;
  let fixtures: string;
  let s: TestServer;
  let ids: Map<string, string>;

  beforeAll(async () => {
    mountPoint = await mkdtemp(path.join(os.tmpdir(), 'immichvr-small-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
    await mkdir(path.join(mountPoint, 'data'));
    s = await startTestServer(engine, { dataDir: path.join(mountPoint, 'data'), worker: true });
    // The originals live in a folder of the user's, outside DATA_DIR.
    fixtures = await mkdtemp(path.join(os.tmpdir(), 'immichvr-photos-'));
    for (const name of ['a', 'b', 'c'])
      await writeTestJpeg(path.join(fixtures, `${name}.jpg`), {
        width: 800,
        height: 600,
        seed: name.charCodeAt(0),
      });
    ids = await importFixtures(s.t.db, fixtures);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    execFileSync('umount', ['-l', mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
    await rm(fixtures, { recursive: true, force: true });
  });

  const upload = async (name: string) => {
    await writeTestJpeg(path.join(fixtures, name), { width: 300, height: 200, seed: name.length });
    const form = new FormData();
    form.append('file', new Blob([await readFile(path.join(fixtures, name))]), name);
    return s.get('/api/media', { method: 'POST', body: form });
  };
  const reprocess = (id: string) =>
    s.get(`/api/media/${id}/reprocess`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"priority":1}',
    });
  const job = async (id: string) =>
    (
      await s.t.db.query<{ status: string; last_error: string | null; error_count: number }>(
        'SELECT status, last_error, error_count FROM processing_queue WHERE media_item_id = $1 ORDER BY created_at DESC LIMIT 1',
        [id],
      )
    ).rows[0];
  const waitFor = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  /** Every depth row has its file and every depth file its row; nothing half-written anywhere. */
  const consistent = async () =>
    expect(await depthFilesAndRowsAgree(s.t.db, s.dataDir)).toEqual({
      rowsWithoutFile: [],
      filesWithoutRow: [],
      leftInTmp: [],
    });

  it('full: clear 507s, the job records why, nothing partial; everything works once there is room', async () => {
    const rowsBefore = (await s.t.db.query('SELECT id FROM media_items')).rows.length;
    const filler = await fillUp(s.dataDir);
    try {
      const refused = await upload('new.jpg');
      expect(refused.status).toBe(507);
      expect(problemSchema.parse(await refused.json()).detail).toBe(
        'the data folder is full (no space left on the device)',
      );
      expect((await s.t.db.query('SELECT id FROM media_items')).rows.length).toBe(rowsBefore);

      const preview = await s.get(`/api/media/${ids.get('a.jpg')}/preview?size=2048`);
      expect(preview.status).toBe(507);

      const a = ids.get('a.jpg') as string;
      expect((await reprocess(a)).status).toBe(202);
      await waitFor(async () => ((await job(a))?.error_count ?? 0) > 0, 'the job to fail');
      expect((await job(a))?.last_error).toBe(
        'the data folder is full (no space left on the device)',
      );
      await consistent();
    } finally {
      await rm(filler);
    }
    const a = ids.get('a.jpg') as string;
    await waitFor(
      async () => (await job(a))?.status === 'completed',
      'the retried job to complete',
    );
    expect((await upload('new.jpg')).status).toBe(201);
    await consistent();
  }, 60_000);

  it('read-only: clear 503s and job errors without paths; works again when writable', async () => {
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    try {
      const refused = await upload('other.jpg');
      expect(refused.status).toBe(503);
      expect(problemSchema.parse(await refused.json()).detail).toBe('the data folder is read-only');
      const b = ids.get('b.jpg') as string;
      expect((await reprocess(b)).status).toBe(202);
      await waitFor(async () => ((await job(b))?.error_count ?? 0) > 0, 'the job to fail');
      expect((await job(b))?.last_error).toBe('the data folder is read-only');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
    const b = ids.get('b.jpg') as string;
    await waitFor(
      async () => (await job(b))?.status === 'completed',
      'the retried job to complete',
    );
    await consistent();
  }, 60_000);
});
