import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveQueue,
  evictDepthMaps,
  verifyDepthMaps,
} from '../src/services/cache-maintenance.service';
import { dataLayout } from '../src/storage/data-layout';
import { addDepthMap } from './helpers/media-fixtures';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

const run = promisify(execFile);
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe.each(ENGINES)('cache upkeep on %s', (engine) => {
  let t: TestDatabase;
  let dataDir: string;
  const items: string[] = [];
  const files = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-upkeep-'));
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO media_items (original_filename, media_type, file_path, file_size, mime_type)
       SELECT 'p' || g, 'photo', '/none/' || g, 1, 'image/jpeg' FROM generate_series(1, 6) g RETURNING id`,
    );
    items.push(...rows.map((r) => r.id));
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Six depth maps of 100 bytes (as recorded), read 1…6 hours ago; the 6th is ground truth. */
  const seedDepthMaps = async () => {
    await t.db.query('DELETE FROM depth_map_cache');
    for (const [i, id] of items.entries()) {
      const file = path.join(dataDir, 'depth', id.slice(0, 2), `${id}-g${i}.png`);
      await addDepthMap(t.db, id, file, { modelName: i === 5 ? 'ground-truth' : 'builtin' });
      const checksum = (await import('node:crypto'))
        .createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
      await t.db.query(
        `UPDATE depth_map_cache SET file_size = 100, checksum = $2, accessed_at = now() - $3 * interval '1 hour'
         WHERE media_item_id = $1`,
        [id, checksum, 6 - i],
      );
      files.set(id, file);
    }
  };

  it('evicts least recently read depth maps, row and file together, until under the limit', async () => {
    await seedDepthMaps();
    const layout = dataLayout(dataDir);
    // Each map's coarse version, as a viewer's first open leaves it.
    const coarse = new Map<string, string>();
    for (const id of items) {
      const file = layout.coarseDepthFile(id, 'some-map', 256);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, 'coarse');
      coarse.set(id, file);
    }
    const summary = await evictDepthMaps(t.db, layout, 250);
    expect(summary).toEqual({ before: 500, after: 200, removed: 3 });
    const left = await t.db.query<{ media_item_id: string }>(
      'SELECT media_item_id FROM depth_map_cache ORDER BY accessed_at',
    );
    expect(left.rows.map((r) => r.media_item_id)).toEqual(items.slice(3));
    for (const [i, id] of items.entries()) {
      expect(await exists(files.get(id) as string), `map ${i}`).toBe(i >= 3);
      expect(await exists(coarse.get(id) as string), `coarse map ${i}`).toBe(i >= 3);
    }
    // Nothing more to do under a larger limit; ground truth is never evicted.
    expect((await evictDepthMaps(t.db, layout, 1_000)).removed).toBe(0);
    expect((await evictDepthMaps(t.db, layout, 0)).removed).toBe(2);
    expect((await t.db.query('SELECT model_name FROM depth_map_cache')).rows).toEqual([
      { model_name: 'ground-truth' },
    ]);
  });

  it('verifies checksums: re-queues missing and corrupt maps, reports and removes files with no row', async () => {
    await seedDepthMaps();
    await t.db.query('DELETE FROM processing_queue');
    await rm(files.get(items[0] as string) as string);
    await writeFile(files.get(items[1] as string) as string, 'tampered');
    await rm(files.get(items[5] as string) as string); // ground truth: reported, not re-queued
    const stray = path.join(dataDir, 'depth', (items[2] as string).slice(0, 2), 'stray.png');
    await writeFile(stray, 'x');
    const layout = dataLayout(dataDir);
    const report = await verifyDepthMaps(t.db, layout, { fix: false });
    expect(report.checked).toBe(6);
    expect(report.ok).toBe(3);
    expect(report.missing.map((m) => m.mediaId).sort()).toEqual([items[0], items[5]].sort());
    expect(report.corrupt.map((m) => m.mediaId)).toEqual([items[1]]);
    expect(report.requeued).toBe(2);
    expect(report.orphans).toEqual([stray]);
    const queued = await t.db.query<{ media_item_id: string }>(
      `SELECT media_item_id FROM processing_queue WHERE status = 'queued'`,
    );
    expect(queued.rows.map((r) => r.media_item_id).sort()).toEqual([items[0], items[1]].sort());
    // Again: already queued, so nothing is queued twice; --fix removes the stray file.
    const fixed = await verifyDepthMaps(t.db, layout, { fix: true });
    expect(fixed.requeued).toBe(0);
    expect(fixed.removedOrphans).toBe(1);
    expect(await exists(stray)).toBe(false);
  });

  it('archives old finished jobs but keeps each item’s newest', async () => {
    await t.db.query('DELETE FROM processing_queue');
    const [a, b] = items as [string, string];
    await t.db.query(
      `INSERT INTO processing_queue (media_item_id, status, completed_at, created_at) VALUES
         ($1, 'completed', now() - interval '40 days', now() - interval '41 days'),
         ($1, 'completed', now() - interval '35 days', now() - interval '36 days'),
         ($1, 'failed',    now() - interval '33 days', now() - interval '34 days'),
         ($1, 'completed', now() - interval '1 day',   now() - interval '2 days'),
         ($2, 'completed', now() - interval '90 days', now() - interval '91 days')`,
      [a, b],
    );
    expect(await archiveQueue(t.db, 30 * 86400)).toBe(2);
    const left = await t.db.query<{ media_item_id: string; status: string }>(
      'SELECT media_item_id, status FROM processing_queue ORDER BY created_at',
    );
    expect(left.rows).toEqual([
      { media_item_id: b, status: 'completed' },
      { media_item_id: a, status: 'failed' },
      { media_item_id: a, status: 'completed' },
    ]);
  });
});

describe('cache and queue commands', () => {
  const cli = (script: string, args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, ...env, DEMO_LIBRARY: 'off' },
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: e.stdout + e.stderr,
      }),
    );

  it('explain bad arguments and run against a data folder', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-cli-'));
    try {
      const bad = await cli('src/cli/cache.ts', ['evict', '--max-bytes', 'lots'], {
        DATA_DIR: dataDir,
      });
      expect(bad.code).toBe(2);
      expect(bad.out).toContain('--max-bytes needs a size such as 500M');
      const archive = await cli('src/cli/queue.ts', ['archive', '--older-than', '30d'], {
        DATA_DIR: dataDir,
      });
      expect(archive).toMatchObject({ code: 0 });
      expect(archive.out).toContain('Removed 0 finished queue rows older than 30d');
      const verify = await cli('src/cli/cache.ts', ['verify'], { DATA_DIR: dataDir });
      expect(verify.out).toContain('Checked 0 depth maps: 0 intact.');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
