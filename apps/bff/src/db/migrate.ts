import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable } from './database';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Serialises migrators across processes sharing one PostgreSQL (any constant works). */
const MIGRATION_LOCK_KEY = 4_718_362_191;

export interface Migration {
  /** File name without extension, e.g. "01-schema". */
  name: string;
  up: string;
  down: string;
  /** SHA-256 of the up script, recorded when applied. */
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = await readdir(dir);
  const ups = files.filter((f) => /^\d{2,}-[a-z0-9-]+\.sql$/.test(f) && !f.endsWith('.down.sql'));
  const migrations: Migration[] = [];
  for (const file of ups.sort()) {
    const name = file.slice(0, -'.sql'.length);
    const downFile = `${name}.down.sql`;
    if (!files.includes(downFile)) {
      throw new MigrationError(`Migration ${name} has no rollback: add ${downFile}`);
    }
    const up = await readFile(path.join(dir, file), 'utf8');
    const down = await readFile(path.join(dir, downFile), 'utf8');
    migrations.push({ name, up, down, checksum: sha256(up) });
  }
  const numbers = migrations.map((m) => m.name.split('-')[0]);
  const duplicate = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (duplicate) throw new MigrationError(`Two migrations share the number ${duplicate}`);
  return migrations;
}

interface AppliedRow {
  name: string;
  checksum: string;
}

async function lockAndReadApplied(tx: Queryable): Promise<AppliedRow[]> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name       TEXT PRIMARY KEY,
    checksum   VARCHAR(64) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  const { rows } = await tx.query<AppliedRow>(
    'SELECT name, checksum FROM schema_migrations ORDER BY name',
  );
  return rows;
}

function verifyApplied(applied: AppliedRow[], known: Migration[]): void {
  for (const row of applied) {
    const migration = known.find((m) => m.name === row.name);
    if (!migration) {
      throw new MigrationError(
        `The database has migration ${row.name}, which this version of ImmichVR does not know. Use the version that applied it, or roll it back with it.`,
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.name} was changed after it was applied (recorded checksum ${row.checksum.slice(0, 12)}…, file ${migration.checksum.slice(0, 12)}…). Released migrations are never edited: restore the file and add a new numbered migration.`,
      );
    }
  }
}

/**
 * Applies every pending migration, each in its own transaction, under an advisory lock so that
 * concurrent starters do not race. Returns the names applied (empty when up to date).
 */
export async function migrate(db: Database, known?: Migration[]): Promise<string[]> {
  const migrations = known ?? (await loadMigrations());
  const applied: string[] = [];
  for (;;) {
    const next = await db.transaction(async (tx) => {
      const rows = await lockAndReadApplied(tx);
      verifyApplied(rows, migrations);
      const pending = migrations.find((m) => !rows.some((r) => r.name === m.name));
      if (!pending) return undefined;
      try {
        await tx.exec(pending.up);
      } catch (error) {
        throw new MigrationError(`Migration ${pending.name} failed: ${(error as Error).message}`);
      }
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        pending.name,
        pending.checksum,
      ]);
      return pending.name;
    });
    if (!next) return applied;
    applied.push(next);
  }
}

/** Rolls back the newest `steps` applied migrations, newest first. Returns the names rolled back. */
export async function rollback(db: Database, steps = 1, known?: Migration[]): Promise<string[]> {
  const migrations = known ?? (await loadMigrations());
  const rolledBack: string[] = [];
  for (let i = 0; i < steps; i++) {
    const name = await db.transaction(async (tx) => {
      const rows = await lockAndReadApplied(tx);
      verifyApplied(rows, migrations);
      const last = rows.at(-1);
      if (!last) return undefined;
      const migration = migrations.find((m) => m.name === last.name) as Migration;
      try {
        await tx.exec(migration.down);
      } catch (error) {
        throw new MigrationError(`Rollback of ${last.name} failed: ${(error as Error).message}`);
      }
      await tx.query('DELETE FROM schema_migrations WHERE name = $1', [last.name]);
      return last.name;
    });
    if (!name) break;
    rolledBack.push(name);
  }
  return rolledBack;
}

/** The newest applied migration, or null on an empty database. */
export async function schemaVersion(db: Queryable): Promise<string | null> {
  const { rows: exists } = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (!exists[0]?.present) return null;
  const { rows } = await db.query<{ name: string | null }>(
    'SELECT max(name) AS name FROM schema_migrations',
  );
  return rows[0]?.name ?? null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
