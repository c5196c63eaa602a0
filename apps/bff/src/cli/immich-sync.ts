import { ImmichClient } from '../immich/immich-client';
import { openImmichSource } from '../immich/immich-source';
import { createLogger } from '../logger';
import { syncImmich } from '../services/immich-sync.service';
import { dataLayout } from '../storage/data-layout';
import { bar, createProgressLine } from './progress';
import { runCli } from './run-cli';

const USAGE = 'usage: pnpm immich:sync [--full] [--page-size 1-1000]';
const NO_SERVER =
  'no Immich server configured: set IMMICH_URL and IMMICH_API_KEY (see .env.example)';
const args = process.argv.slice(2);
const sizeAt = args.indexOf('--page-size');
const pageSize = sizeAt === -1 ? undefined : Number(args[sizeAt + 1]);
const unknown = args.filter(
  (a, i) => a !== '--full' && a !== '--page-size' && !(sizeAt !== -1 && i === sizeAt + 1),
);
if (unknown.length > 0 || (pageSize !== undefined && !(pageSize >= 1 && pageSize <= 1000))) {
  process.stderr.write(
    `immichvr: ${unknown.length ? `unknown option ${unknown[0]}` : '--page-size must be a number from 1 to 1000'}. ${USAGE}\n`,
  );
  process.exit(2);
}

/**
 * pnpm immich:sync: one sync with the Immich server of IMMICH_URL now, with a progress bar and a
 * summary. --full lists every asset (otherwise only what changed since the last sync, plus a full
 * listing when the counts say something was deleted); --page-size asks for fewer assets per
 * request (a slow server). Read-only on the Immich side.
 */
await runCli(
  async ({ env, db }) => {
    if (!env.immich) throw new Error(NO_SERVER);
    const immich = await openImmichSource(db, env.dataDir, createLogger('silent'), env.immich);
    const progress = createProgressLine();
    const summary = await syncImmich(
      { ...immich, db, layout: dataLayout(env.dataDir) },
      {
        full: args.includes('--full'),
        ...(pageSize ? { pageSize: Math.floor(pageSize) } : {}),
        onProgress: (p) =>
          progress.update(
            p.total && p.assets <= p.total
              ? `Syncing ${bar(p.assets, p.total)}  ${p.added} added, ${p.removed} removed`
              : `Syncing ${p.assets} assets read  ${p.added} added, ${p.removed} removed`,
          ),
      },
    ).finally(() => progress.done());
    const kind = summary.full ? 'every asset listed' : 'changes since the last sync';
    console.log(
      `Synced with Immich at ${immich.client.baseUrl} (${kind}${summary.resumed ? ', resumed' : ''}):`,
    );
    console.log(`  added     ${summary.added}`);
    console.log(`  updated   ${summary.updated}`);
    console.log(`  removed   ${summary.removed} (trashed, archived or deleted in Immich)`);
    console.log(`  skipped   ${summary.skipped}`);
    const reasons = new Map<string, number>();
    for (const s of summary.skippedAssets) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    for (const [reason, n] of reasons) console.log(`    ${n} × ${reason}`);
    console.log(`  albums    ${summary.albums}, people ${summary.people}`);
    console.log(`  in ${summary.seconds.toFixed(1)} s; nothing was changed on the Immich server`);
  },
  {
    // A server that does not answer, or refuses the key, is said at once, before the database is
    // opened (or, on a first run, made). The sync asks for these statistics again.
    requires: async (env) => {
      if (!env.immich) throw new Error(NO_SERVER);
      await new ImmichClient({
        url: env.immich.url,
        apiKey: env.immich.apiKey,
      }).timelineStatistics();
    },
  },
);
