import { statSync } from 'node:fs';
import path from 'node:path';
import { invocationDir } from '../env';
import { importFolder } from '../services/import.service';
import { bar, createProgressLine } from './progress';
import { runCli } from './run-cli';

const USAGE = 'usage: pnpm library:import <folder> [--no-queue]';
const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--'));
const unknown = args.filter((a) => a.startsWith('--') && a !== '--no-queue');

if (!folder || unknown.length > 0) {
  process.stderr.write(
    `immichvr: ${unknown.length ? `unknown option ${unknown[0]}. ` : ''}${USAGE}\n`,
  );
  process.exit(2);
}

const root = path.resolve(invocationDir(), folder);

await runCli(
  async ({ env, db }) => {
    const progress = createProgressLine();
    const summary = await importFolder(db, root, {
      ffprobePath: env.ffprobePath,
      queue: !args.includes('--no-queue'),
      onProgress: ({ processed, total, added }) =>
        progress.update(`Importing ${bar(processed, total)}  ${added} added`),
    });
    progress.done();
    const rate = summary.scanned / Math.max(summary.seconds, 1e-3);
    console.log(`Imported ${summary.root} in place (nothing copied or changed there):`);
    console.log(`  added              ${summary.added}`);
    console.log(`  duplicates         ${summary.duplicates} (same content already in the library)`);
    console.log(`  already imported   ${summary.alreadyImported}`);
    console.log(`  skipped            ${summary.skipped.length}`);
    for (const skip of summary.skipped.slice(0, 20))
      console.log(`    ${skip.file}: ${skip.reason}`);
    if (summary.skipped.length > 20) console.log(`    … and ${summary.skipped.length - 20} more`);
    console.log(
      `  ${summary.scanned} files in ${summary.seconds.toFixed(1)} s (${rate.toFixed(0)} files/s)`,
    );
  },
  {
    // A mistyped folder is said at once, before the database is opened (or made, the first time).
    requires: () => {
      if (!statSync(root, { throwIfNoEntry: false })?.isDirectory())
        throw new Error(`${root} is not a folder`);
    },
  },
);
