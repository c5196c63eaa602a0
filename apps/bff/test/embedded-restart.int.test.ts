import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database';
import { crashEngineThreadForTests } from '../src/db/embedded/engine-thread';
import { migrate } from '../src/db/migrate';
import { openEventStream } from './helpers/event-stream';
import {
  browse,
  expectEveryItemDoneOnce,
  expectReprocessHeard,
  startLibraryUnderLoad,
  waitForJobsDone,
} from './helpers/library-under-load';

const JOBS = 12;

// Its own file (own process): the engine thread is the process's, and every in-memory embedded
// database on it is gone when it crashes.
describe('the embedded engine crashing under load', () => {
  let db: Database;
  let dataDir: string;
  let library: Awaited<ReturnType<typeof startLibraryUnderLoad>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-engine-crash-'));
    // As `pnpm start` runs with no DATABASE_URL: PGlite kept in DATA_DIR/db.
    db = await openDatabase({ engine: 'embedded', dataDir });
    await migrate(db);
    library = await startLibraryUnderLoad({ appDb: db, setupDb: db, dataDir, jobs: JOBS });
  }, 60_000);
  afterAll(async () => {
    await library?.stop();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while it is down, opens the data folder again by itself, loses and doubles no job, and the live events carry on', async () => {
    const { rows: items } = await db.query<{ id: string }>('SELECT id FROM media_items');
    expect(items).toHaveLength(JOBS);
    const events = await openEventStream(`${library.url}/api/events`);
    await library.queueAllAndWork(items.map((i) => i.id));
    const clients = browse(library.url, 2, 20);

    await new Promise((r) => setTimeout(r, 600));
    const crashedAt = performance.now();
    await crashEngineThreadForTests();

    // Everything recovers by itself: all jobs done.
    const done = await waitForJobsDone(db, JOBS, crashedAt + 3_000);
    await clients.stop();

    const samples = clients.samples;
    const unavailable = samples.filter((s) => s.status === 503);
    const after = samples.filter((s) => s.at > crashedAt + 2_500);
    console.log(
      `${samples.length} list requests; ${unavailable.length} answered 503 (the last ${Math.round(Math.max(0, ...unavailable.map((s) => s.at - crashedAt)))} ms after the crash); ${after.length} after`,
    );
    // The engine was down: someone heard it, as a 503 problem, not a 500.
    expect(unavailable.length).toBeGreaterThan(0);
    for (const s of unavailable)
      expect(problemSchema.parse(JSON.parse(s.body)).detail).toMatch(/database is unreachable/);
    expect(samples.every((s) => s.status === 200 || s.status === 503)).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.status === 200)).toBe(true);

    expect(done).toBe(JOBS);
    await expectEveryItemDoneOnce(db, dataDir, JOBS);
    await expectReprocessHeard(library, events, items[0]?.id as string);
    events.close();
  }, 120_000);
});
