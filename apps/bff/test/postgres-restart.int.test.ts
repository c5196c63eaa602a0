import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database';
import { openEventStream } from './helpers/event-stream';
import {
  browse,
  expectEveryItemDoneOnce,
  expectReprocessHeard,
  startLibraryUnderLoad,
  waitForJobsDone,
} from './helpers/library-under-load';
import { startTcpProxy } from './helpers/tcp-proxy';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from './helpers/test-database';

const JOBS = 16;
const OUTAGE_MS = 3_000;

describe.skipIf(!TEST_POSTGRES_URL)('PostgreSQL restarting under load', () => {
  let t: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let appDb: Database;
  let dataDir: string;
  let library: Awaited<ReturnType<typeof startLibraryUnderLoad>>;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const direct = new URL(t.url as string);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(direct);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    appDb = await openDatabase({ engine: 'postgres', url: proxied.toString() });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-pg-restart-'));
    library = await startLibraryUnderLoad({ appDb, setupDb: t.db, dataDir, jobs: JOBS });
  }, 60_000);
  afterAll(async () => {
    await library?.stop();
    await appDb?.close();
    await proxy?.close();
    await t?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails fast with 503 during the outage, recovers without a restart, loses and doubles no job', async () => {
    const { rows: items } = await t.db.query<{ id: string }>('SELECT id FROM media_items');
    const events = await openEventStream(`${library.url}/api/events`);
    // Queue every item, then keep browsing while the worker runs.
    await library.queueAllAndWork(items.map((i) => i.id));
    const clients = browse(library.url, 3, 50);

    await new Promise((r) => setTimeout(r, 800));
    const outageStart = performance.now();
    await proxy.cut();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await proxy.restore();
    const outageEnd = performance.now();

    // Everything recovers by itself: all jobs done.
    const done = await waitForJobsDone(t.db, JOBS, outageEnd + 4_000);
    await clients.stop();

    const samples = clients.samples;
    const during = samples.filter((s) => s.at > outageStart + 200 && s.at < outageEnd - 200);
    const after = samples.filter((s) => s.at > outageEnd + 3_000);
    console.log(
      `${samples.length} list requests; during the outage ${during.length} (statuses ${[...new Set(during.map((s) => s.status))].join(',')}, slowest ${Math.round(Math.max(0, ...during.map((s) => s.ms)))} ms); after ${after.length}`,
    );
    expect(during.length).toBeGreaterThan(0);
    for (const s of during) {
      expect(s.status).toBe(503);
      expect(problemSchema.parse(JSON.parse(s.body)).detail).toMatch(/database is unreachable/);
      expect(s.ms).toBeLessThan(5_500);
    }
    expect(samples.every((s) => s.status === 200 || s.status === 503)).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.status === 200)).toBe(true);

    expect(done).toBe(JOBS);
    await expectEveryItemDoneOnce(t.db, dataDir, JOBS);
    await expectReprocessHeard(library, events, items[0]?.id as string);
    events.close();
  }, 120_000);
});
