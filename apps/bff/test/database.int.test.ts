import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DataDirBusyError } from '../src/db/data-dir-lock';
import { openDatabase } from '../src/db/database';
import { createTestDatabase, ENGINES, TEST_POSTGRES_URL } from './helpers/test-database';

const PROBE = `SELECT 9007199254740993::int8 AS big, 1.25::numeric AS num, 7::int4 AS int,
  '2026-01-02T03:04:05Z'::timestamptz AS at, '{"a":[1]}'::jsonb AS doc, ARRAY['x','y']::text[] AS list,
  true AS flag, NULL::text AS nothing, 'photo'::media_type AS kind`;

describe.each(ENGINES)('the database interface on %s', (engine) => {
  it('returns the same JavaScript types on both engines and survives failing queries', async () => {
    const t = await createTestDatabase(engine);
    try {
      await expect(t.db.query('SELECT $1::int', ['not a number'])).rejects.toThrow(
        /invalid input syntax/,
      );
      const { rows } = await t.db.query(PROBE);
      expect(rows[0]).toEqual({
        big: '9007199254740993',
        num: '1.25',
        int: 7,
        at: new Date('2026-01-02T03:04:05Z'),
        doc: { a: [1] },
        list: ['x', 'y'],
        flag: true,
        nothing: null,
        kind: 'photo',
      });
    } finally {
      await t.cleanup();
    }
  });

  it('rolls a failed transaction back', async () => {
    const t = await createTestDatabase(engine);
    try {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO media_sources (kind, location) VALUES ('folder', '/rolled-back')`,
          );
          throw new Error('stop');
        }),
      ).rejects.toThrow('stop');
      expect(
        (
          await t.db.query(
            "SELECT count(*) AS n FROM media_sources WHERE location = '/rolled-back'",
          )
        ).rows[0],
      ).toEqual({
        n: '0',
      });
    } finally {
      await t.cleanup();
    }
  });
});

describe.each(ENGINES)('errors from the database on %s', (engine) => {
  it("carry PostgreSQL's fields: SQLSTATE, constraint, detail", async () => {
    const t = await createTestDatabase(engine);
    try {
      await t.db.query(`INSERT INTO media_sources (kind, location) VALUES ('folder', '/twice')`);
      const error = await t.db
        .query(`INSERT INTO media_sources (kind, location) VALUES ('folder', '/twice')`)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({
        code: '23505',
        constraint: 'media_sources_kind_location_key',
        message: expect.stringMatching(/duplicate key/),
        detail: expect.stringContaining('/twice'),
      });
    } finally {
      await t.cleanup();
    }
  });
});

describe('the embedded engine on its own thread', () => {
  it("runs a statement without holding the BFF's thread: timers fire while it runs", async () => {
    const t = await createTestDatabase('embedded');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await t.db.query('SELECT pg_sleep(0.4)');
      // In-process, the 400 ms statement would have let through one tick at most.
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(timer);
      await t.cleanup();
    }
  });

  it('waits for an open transaction: a statement from outside sees it committed', async () => {
    const t = await createTestDatabase('embedded');
    try {
      const count = async () =>
        Number((await t.db.query('SELECT count(*) AS n FROM media_sources')).rows[0]?.n);
      const before = await count();
      let outside: Promise<number> | undefined;
      await t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO media_sources (kind, location) VALUES ('folder', '/a')`);
        outside = count();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.query(`INSERT INTO media_sources (kind, location) VALUES ('folder', '/b')`);
      });
      expect(await outside).toBe(before + 2);
    } finally {
      await t.cleanup();
    }
  });

  it('lets a process that never closes its database exit', async () => {
    const script = `
      import { openDatabase } from './src/db/database.ts';
      const db = await openDatabase({ engine: 'embedded', dataDir: undefined });
      console.log(JSON.stringify((await db.query('SELECT 6 * 7 AS answer')).rows));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: path.resolve(import.meta.dirname, '..'), timeout: 60_000 },
    );
    expect(stdout.trim()).toBe('[{"answer":42}]');
  }, 90_000);
});

describe.skipIf(!TEST_POSTGRES_URL)('a PostgreSQL connection lost inside a transaction', () => {
  it('fails that transaction with the reason, and the process and the pool carry on', async () => {
    const t = await createTestDatabase('postgres');
    try {
      await expect(
        t.db.transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await t.db.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          // The server's goodbye arrives while the transaction waits for something else.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await tx.query('SELECT 1');
        }),
      ).rejects.toThrow(/terminat|Connection/i);
      expect((await t.db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await t.cleanup();
    }
  });
});

describe('the embedded database in a data folder', () => {
  it('keeps committed rows across reopening and keeps a second process out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-db-'));
    try {
      const first = await openDatabase({ engine: 'embedded', dataDir: dir });
      await first.query('CREATE TABLE kept (v int)');
      await first.query('INSERT INTO kept VALUES (42)');
      await first.close();
      const again = await openDatabase({ engine: 'embedded', dataDir: dir });
      expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a data folder locked by another running process', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-lock-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      // pid 1 always runs: the lock looks held by someone else.
      await writeFile(path.join(dir, 'db.lock'), '1');
      await expect(openDatabase({ engine: 'embedded', dataDir: dir })).rejects.toThrow(
        DataDirBusyError,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
