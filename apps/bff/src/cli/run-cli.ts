import { type Database, databaseOptionsFromEnv, openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { type Env, parseEnv } from '../env';

/**
 * Runs a command-line task with the environment and a migrated database, and turns any error
 * into one clear line on stderr and exit code 1.
 */
export async function runCli(
  task: (ctx: { env: Env; db: Database; openDb: () => Promise<Database> }) => Promise<void>,
  options: { migrate: boolean; lazyDatabase?: boolean } = { migrate: true },
): Promise<void> {
  let db: Database | undefined;
  try {
    const env = parseEnv();
    const openDb = async () => {
      db ??= await openDatabase(databaseOptionsFromEnv(env));
      if (options.migrate) await migrate(db);
      return db;
    };
    // A lazy task opens the database itself (and may do without it); `db` is then unusable.
    const eager = options.lazyDatabase ? (undefined as unknown as Database) : await openDb();
    await task({ env, db: eager, openDb });
  } catch (error) {
    process.stderr.write(`immichvr: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await db?.close();
  }
}
