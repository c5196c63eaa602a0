import { evictDepthMaps, verifyDepthMaps } from '../services/cache-maintenance.service';
import { dataLayout } from '../storage/data-layout';
import { parseBytes } from '../util/parse-units';
import { bar, createProgressLine } from './progress';
import { runCli } from './run-cli';

const USAGE = 'usage: pnpm cache:evict --max-bytes <size, e.g. 2G> | pnpm cache:verify [--fix]';
const [command, ...args] = process.argv.slice(2);

function fail(message: string): never {
  process.stderr.write(`immichvr: ${message}. ${USAGE}\n`);
  process.exit(2);
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

if (command === 'evict') {
  const at = args.indexOf('--max-bytes');
  const maxBytes = at >= 0 && args[at + 1] ? parseBytes(args[at + 1] as string) : null;
  if (maxBytes === null) fail('--max-bytes needs a size such as 500M or 2G');
  await runCli(async ({ env, db }) => {
    const s = await evictDepthMaps(db, dataLayout(env.dataDir), maxBytes);
    console.log(
      `Depth map cache: ${mb(s.before)} → ${mb(s.after)} (limit ${mb(maxBytes)}); removed ${s.removed} least recently viewed (ground truth is kept).`,
    );
  });
} else if (command === 'verify') {
  const unknown = args.filter((a) => a !== '--fix');
  if (unknown.length) fail(`unknown option ${unknown[0]}`);
  await runCli(async ({ env, db }) => {
    const progress = createProgressLine();
    const s = await verifyDepthMaps(db, dataLayout(env.dataDir), {
      fix: args.includes('--fix'),
      onProgress: (done, total) => progress.update(`Verifying depth maps ${bar(done, total)}`),
    });
    progress.done();
    console.log(`Checked ${s.checked} depth maps: ${s.ok} intact.`);
    for (const m of s.missing) console.log(`  missing  ${m.file} (item ${m.mediaId})`);
    for (const c of s.corrupt) console.log(`  corrupt  ${c.file} (item ${c.mediaId})`);
    if (s.requeued) console.log(`  ${s.requeued} queued for depth again.`);
    for (const o of s.orphans) console.log(`  no row   ${o}`);
    if (s.orphans.length)
      console.log(
        args.includes('--fix')
          ? `  removed ${s.removedOrphans} files no row points at.`
          : '  run with --fix to remove the files no row points at.',
      );
    if (s.missing.length + s.corrupt.length + s.orphans.length > 0 && !args.includes('--fix'))
      process.exitCode = 1;
  });
} else fail(command ? `unknown command ${command}` : 'no command');
