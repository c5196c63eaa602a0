import path from 'node:path';
import { mediaDetailSchema, mediaStatusEventSchema, queueItemSchema } from '@immichvr/shared';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from './helpers/event-stream';
import { importFixtures, writeTestJpeg } from './helpers/media-fixtures';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

describe.each(ENGINES)(
  'reprocessing through the API with the worker in the server on %s',
  (engine) => {
    let s: TestServer;
    let id: string;

    beforeAll(async () => {
      s = await startTestServer(engine, { worker: true });
      const folder = path.join(s.dataDir, 'library');
      await writeTestJpeg(path.join(folder, 'photo.jpg'), { width: 1200, height: 900 });
      id = (await importFixtures(s.t.db, folder)).get('photo.jpg') as string;
    }, 60_000);
    afterAll(async () => s?.close());

    it('queues, processes and completes live: every client sees each step and the new depth map', async () => {
      const events = await openEventStream(`${s.url}/api/events`);
      await new Promise((r) => setTimeout(r, 100));
      const res = await s.get(`/api/media/${id}/reprocess`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ priority: 2 }),
      });
      expect(res.status).toBe(202);
      const job = queueItemSchema.parse(await res.json());

      const completed = await events.next(
        (e) => e.event === 'media.status' && (e.data as { status: string }).status === 'completed',
        20_000,
      );
      const steps = events.events
        .filter(
          (e) => e.event === 'media.status' && (e.data as { queueId: string }).queueId === job.id,
        )
        .map((e) => (e.data as { status: string }).status)
        .filter((status, i, all) => status !== all[i - 1]);
      // (The new depth map arrives as its own event while the job is still processing.)
      expect(steps).toEqual(['queued', 'processing', 'completed']);
      const final = mediaStatusEventSchema.parse(completed.data);
      expect(final.depthMap).toMatchObject({
        width: 691,
        height: 518,
        modelName: 'immichvr-heuristic',
      });
      events.close();

      const item = mediaDetailSchema.parse(await (await s.get(`/api/media/${id}`)).json());
      expect(item).toMatchObject({
        processingStatus: 'completed',
        processingAttempts: 1,
        queueId: job.id,
      });
      expect(item.urls.depth).toBe(`/api/media/${id}/depth?v=${final.depthMap?.id}`);
      const depth = await s.get(item.urls.depth as string);
      expect(depth.status).toBe(200);
      const meta = await sharp(Buffer.from(await depth.arrayBuffer())).metadata();
      expect([meta.width, meta.height, meta.depth]).toEqual([691, 518, 'ushort']);
    });
  },
);
