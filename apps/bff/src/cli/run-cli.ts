import { type Database, databaseOptionsFromEnv, openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { type Env, parseEnv } from '../env';

/** Writes a task's failure as one clear line on stderr with exit code 1. */
async function reportingFailure(task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    process.stderr.write(`immichvr: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

/**
 * Runs a command-line task with the environment and a migrated database, and turns any error
 * into one clear line on stderr and exit code 1. `requires` checks what the task needs of the
 * environment (and of the servers it names) before the database is opened (a first embedded open
 * takes seconds and makes a database), and throws what is missing.
 */
export async function runCli(
  task: (ctx: { env: Env; db: Database }) => Promise<void>,
  options: { migrate?: boolean; requires?: (env: Env) => void | Promise<void> } = {},
): Promise<void> {
  let db: Database | undefined;
  await reportingFailure(async () => {
    const env = parseEnv();
    await options.requires?.(env);
    db = await openDatabase(databaseOptionsFromEnv(env));
    if (options.migrate ?? true) await migrate(db);
    await task({ env, db });
  });
  await db?.close();
}

/**
 * The same for a task that may do without the database (it opens it with `openDb`, which throws
 * DataDirBusyError while `pnpm start` holds the embedded one).
 */
export async function runCliOpeningDatabase(
  task: (ctx: { env: Env; openDb: () => Promise<Database> }) => Promise<void>,
): Promise<void> {
  let db: Database | undefined;
  await reportingFailure(async () => {
    const env = parseEnv();
    await task({
      env,
      openDb: async () => {
        db ??= await openDatabase(databaseOptionsFromEnv(env));
        await migrate(db);
        return db;
      },
    });
  });
  await db?.close();
}
