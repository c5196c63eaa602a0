import { migrate, rollback } from '../db/migrate';
import { runCli } from './run-cli';

const USAGE = 'usage: pnpm db:migrate | pnpm db:rollback [--steps N] [--all]';

const [command, ...args] = process.argv.slice(2);
await runCli(
  async ({ db }) => {
    if (command === 'migrate') {
      const applied = await migrate(db);
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date.');
      return;
    }
    if (command === 'rollback') {
      const stepsIndex = args.indexOf('--steps');
      const steps = args.includes('--all')
        ? Number.MAX_SAFE_INTEGER
        : stepsIndex >= 0
          ? Number(args[stepsIndex + 1])
          : 1;
      if (!Number.isInteger(steps) || steps < 1)
        throw new Error(`--steps needs a positive whole number. ${USAGE}`);
      const rolledBack = await rollback(db, steps);
      console.log(
        rolledBack.length ? `Rolled back ${rolledBack.join(', ')}` : 'Nothing to roll back.',
      );
      return;
    }
    throw new Error(USAGE);
  },
  { migrate: false },
);
