import { archiveQueue } from '../services/cache-maintenance.service';
import { parseDuration } from '../util/parse-units';
import { runCli } from './run-cli';

const USAGE = 'usage: pnpm queue:archive --older-than <duration, e.g. 30d>';
const [command, ...args] = process.argv.slice(2);
const at = args.indexOf('--older-than');
const seconds = at >= 0 && args[at + 1] ? parseDuration(args[at + 1] as string) : null;

if (command !== 'archive' || seconds === null) {
  process.stderr.write(
    `immichvr: ${command !== 'archive' ? 'unknown command' : '--older-than needs a duration such as 30d'}. ${USAGE}\n`,
  );
  process.exit(2);
}

await runCli(async ({ db }) => {
  const removed = await archiveQueue(db, seconds);
  console.log(
    `Removed ${removed} finished queue rows older than ${args[at + 1]} (each item keeps its newest).`,
  );
});
