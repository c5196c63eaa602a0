import { parseArgs } from 'node:util';
import { insertSyntheticItems } from '../db/queries/synthetic.queries';
import { createDemoLibrary } from '../services/demo-library.service';
import { runCli } from './run-cli';

const USAGE = 'usage: pnpm library:synthetic --items <count> [--years <n>]';

/**
 * Grows the library to test scale: copies of the demo items (same files, new rows) with capture
 * dates spread over the years. For benchmarks and load tests, never for a real library.
 */
await runCli(async ({ env, db }) => {
  const { values } = parseArgs({
    options: { items: { type: 'string' }, years: { type: 'string', default: '10' } },
  });
  const items = Number(values.items);
  const years = Number(values.years);
  if (!Number.isInteger(items) || items < 1 || items > 10_000_000)
    throw new Error(`--items must be a whole number from 1 to 10,000,000\n${USAGE}`);
  if (!Number.isFinite(years) || years <= 0) throw new Error(`--years must be positive\n${USAGE}`);
  await createDemoLibrary(db, env);
  const started = performance.now();
  const added = await insertSyntheticItems(db, items, years);
  console.log(
    `Added ${added.toLocaleString('en')} synthetic items over ${years} years in ${Math.round(performance.now() - started)} ms.`,
  );
});
