import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadMigrations,
  MIGRATIONS_DIR,
  MigrationError,
  migrate,
  rollback,
  schemaVersion,
} from '../src/db/migrate';
import { catalogSnapshot } from './helpers/catalog';
import { createTestDatabase, ENGINES, type TestDatabase } from './helpers/test-database';

describe.each(ENGINES)('migrations on %s', (engine) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('migrate → rollback all → migrate leaves an identical catalog', async () => {
    t = await createTestDatabase(engine, { migrate: false });
    const all = await loadMigrations();
    expect(await migrate(t.db)).toEqual(all.map((m) => m.name));
    const first = await catalogSnapshot(t.db);

    expect(await rollback(t.db, all.length)).toEqual(all.map((m) => m.name).reverse());
    expect(await schemaVersion(t.db)).toBeNull();
    const empty = await catalogSnapshot(t.db);
    expect(empty.views).toEqual([]);
    expect(empty.enums).toEqual([]);
    expect(empty.functions).toEqual([]);

    await migrate(t.db);
    expect(await catalogSnapshot(t.db)).toEqual(first);
  });

  it('is idempotent and rolls back one step at a time', async () => {
    t = await createTestDatabase(engine, { migrate: false });
    const all = await loadMigrations();
    await migrate(t.db);
    expect(await migrate(t.db)).toEqual([]);
    const last = all.at(-1)?.name;
    expect(await rollback(t.db)).toEqual([last]);
    expect(await schemaVersion(t.db)).toBe(all.at(-2)?.name);
    expect(await migrate(t.db)).toEqual([last]);
  });

  it('refuses to run when an applied migration was changed', async () => {
    t = await createTestDatabase(engine, { migrate: false });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await migrate(t.db, await loadMigrations(dir));
      await writeFile(path.join(dir, '01-schema.sql'), '-- edited\nSELECT 1;');
      const changed = await loadMigrations(dir);
      await expect(migrate(t.db, changed)).rejects.toThrow(MigrationError);
      await expect(migrate(t.db, changed)).rejects.toThrow(
        /01-schema was changed after it was applied/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls a failing migration back whole and names it', async () => {
    t = await createTestDatabase(engine, { migrate: false });
    const all = await loadMigrations();
    const broken = {
      name: '99-broken',
      up: 'CREATE TABLE half_done (id int); SELECT * FROM missing_table;',
      down: '',
      checksum: 'x',
    };
    await expect(migrate(t.db, [...all, broken])).rejects.toThrow(/Migration 99-broken failed/);
    const { rows } = await t.db.query("SELECT to_regclass('half_done') IS NULL AS absent");
    expect(rows[0]).toEqual({ absent: true });
    expect(await schemaVersion(t.db)).toBe(all.at(-1)?.name);
  });

  it('lets concurrent starters migrate once', async () => {
    t = await createTestDatabase(engine, { migrate: false });
    const results = await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)]);
    expect(results.flat().sort()).toEqual((await loadMigrations()).map((m) => m.name).sort());
  });
});
