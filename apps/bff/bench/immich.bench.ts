/**
 * pnpm bench immich: a first sync of 100,000 assets from the stand-in Immich server (assets/s, peak
 * memory) and an incremental sync of 100 changes, on both engines, against the reference of the
 * same pages fetched and parsed alone (what no sync can beat) in the same run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AssetTypeEnum } from '@immich/sdk';
import type { Database } from '../src/db/database';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { ImmichClient } from '../src/immich/immich-client';
import { openImmichSource } from '../src/immich/immich-source';
import { createLogger } from '../src/logger';
import { syncImmich } from '../src/services/immich-sync.service';
import { dataLayout } from '../src/storage/data-layout';
import { ImmichStandIn } from '../test/helpers/immich-stand-in';
import { withBenchDatabase } from './fixtures';

const ASSETS = Number(process.env.BENCH_IMMICH_ASSETS ?? 100_000);
const PAGE = 1000;
const MB = 1024 ** 2;

export async function benchImmich(): Promise<void> {
  const immich = new ImmichStandIn();
  await immich.start();
  const work = await mkdtemp(path.join(os.tmpdir(), 'immichvr-bench-immich-'));
  try {
    const people = Array.from({ length: 200 }, (_, i) => immich.addPerson(`Person ${i}`));
    const ids: string[] = [];
    for (let i = 0; i < ASSETS; i++) {
      const video = i % 20 === 0;
      const asset = immich.addAsset({
        type: video ? AssetTypeEnum.Video : AssetTypeEnum.Image,
        takenAt: new Date(Date.UTC(2010, 0, 1) + i * 3_600_000).toISOString(),
        isFavorite: i % 50 === 0,
        people: i % 4 === 0 ? [people[i % people.length] as (typeof people)[number]] : [],
      });
      ids.push(asset.id);
    }
    for (let a = 0; a < 50; a++) immich.addAlbum(`Album ${a}`, ids.slice(a * 500, a * 500 + 500));
    console.log(`stand-in Immich: ${ASSETS} assets (5% videos), 200 people, 50 albums of 500`);

    // Reference: every page fetched and parsed, nothing else.
    const client = new ImmichClient({ url: immich.url, apiKey: immich.apiKey });
    const refStart = performance.now();
    let seen = 0;
    for (let page = 1; ; page++) {
      const answer = await client.searchAssets({
        withExif: true,
        withPeople: true,
        withDeleted: true,
        page,
        size: PAGE,
      });
      seen += answer.items.length;
      if (!answer.nextPage) break;
    }
    const refSeconds = (performance.now() - refStart) / 1000;
    const refRate = seen / refSeconds;
    console.log(
      `reference: ${seen} assets paged and parsed alone in ${refSeconds.toFixed(1)} s = ${refRate.toFixed(0)} assets/s`,
    );

    /** One sync as `pnpm immich:sync` runs it: the source read fresh, its state included. */
    const syncOnce = async (db: Database, dataDir: string) => {
      const opened = await openImmichSource(db, dataDir, createLogger('silent'), {
        url: immich.url,
        apiKey: immich.apiKey,
        mount: undefined,
        syncIntervalMinutes: 0,
        cacheMaxBytes: 64 * MB,
      });
      return syncImmich({ ...opened, db, layout: dataLayout(dataDir) }, { pageSize: PAGE });
    };

    const run = async (db: Database, engine: string) => {
      const dataDir = await mkdtemp(path.join(work, `${engine}-`));
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 25);
      const first = await syncOnce(db, dataDir);
      clearInterval(sampler);
      const rate = first.added / first.seconds;
      console.log(
        `first sync, ${engine}: ${first.added} added in ${first.seconds.toFixed(1)} s = ${rate.toFixed(0)} assets/s ` +
          `(ratio to paging alone ${(rate / refRate).toFixed(2)}×); RSS peak ${(peak / MB).toFixed(0)} MB, ` +
          `+${((peak - baseline) / MB).toFixed(0)} MB over the ${(baseline / MB).toFixed(0)} MB before (stand-in included)`,
      );

      // 100 changes: 50 favourited, 25 trashed, 25 new.
      const shown = [...immich.assets.values()].filter((a) => !a.isTrashed);
      for (let k = 0; k < 50; k++) immich.update(shown[k * 7]?.id as string, { isFavorite: true });
      for (let k = 0; k < 25; k++) immich.trash(shown[k * 11 + 3]?.id as string);
      for (let k = 0; k < 25; k++) immich.addAsset({ takenAt: new Date().toISOString() });
      const next = await syncOnce(db, dataDir);
      console.log(
        `incremental sync of 100 changes, ${engine}: ${(next.seconds * 1000).toFixed(0)} ms ` +
          `(${next.added} added, ${next.updated} updated, ${next.removed} removed; full listing: ${next.full})`,
      );
      const quiet = await syncOnce(db, dataDir);
      console.log(`sync with nothing changed, ${engine}: ${(quiet.seconds * 1000).toFixed(0)} ms`);
      // Undo the changes for the next engine.
      for (const a of immich.assets.values())
        if (a.isTrashed || a.isFavorite)
          immich.update(a.id, { isTrashed: false, isFavorite: false });
    };

    if (process.env.TEST_DATABASE_URL || process.env.BENCH_DATABASE_URL)
      await withBenchDatabase((db) => run(db, 'PostgreSQL'));
    const embedded = await openDatabase({ engine: 'embedded', dataDir: undefined });
    try {
      await migrate(embedded);
      await run(embedded, 'embedded');
    } finally {
      await embedded.close();
    }
  } finally {
    await immich.close();
    await rm(work, { recursive: true, force: true });
  }
}
