import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PHOTOS, DEMO_VIDEOS, type DemoPhoto, type DemoVideo } from './catalogue';
import { demoLayout } from './demo-layout';
import { renderOnThreads } from './demo-render-pool';
import type { DemoManifest, DemoManifestPhoto, DemoManifestVideo } from './manifest';
import { DEMO_MANIFEST_VERSION, MANIFEST_FILE } from './manifest';
import { type DemoItem, writeDemoItem } from './write-demo-item';

export const DEMO_SEED = 1;

export { type DemoLayout, demoLayout } from './demo-layout';

export interface GenerateDemoOptions {
  ffmpegPath: string;
  /** Subsets for tests; the whole catalogue by default. */
  photos?: readonly DemoPhoto[];
  videos?: readonly DemoVideo[];
  onProgress?: (done: number, total: number, name: string) => void;
  /** Items rendered at once, each on its own thread (default: one per CPU core; 1 = this thread). */
  threads?: number;
}

/**
 * Renders the demo library into `demoDir`, one catalogue entry per thread at a time (the ray
 * caster is plain JavaScript: threads are what use a second core). Deterministic: the same
 * catalogue gives byte-identical files, however many threads. Everything is written into a
 * temporary sibling folder that is renamed into place at the end, so an interrupted run never
 * leaves half a demo behind.
 */
export async function generateDemo(
  demoDir: string,
  options: GenerateDemoOptions,
): Promise<DemoManifest> {
  const photos = options.photos ?? DEMO_PHOTOS;
  const videos = options.videos ?? DEMO_VIDEOS;
  const staging = `${demoDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const layout = demoLayout(staging);
  await mkdir(path.join(layout.mediaDir, 'photos'), { recursive: true });
  await mkdir(path.join(layout.mediaDir, 'videos'), { recursive: true });
  await mkdir(layout.groundTruthDir, { recursive: true });

  // The longest first (videos: many frames), so the last thread does not start late on one.
  const items: DemoItem[] = [
    ...videos.map((video) => ({ kind: 'video' as const, video })),
    ...photos.map((photo) => ({ kind: 'photo' as const, photo })),
  ];
  const nameOf = (item: DemoItem) => (item.kind === 'photo' ? item.photo.name : item.video.name);
  const threads = Math.max(1, Math.min(items.length, options.threads ?? os.availableParallelism()));
  try {
    let done = 0;
    options.onProgress?.(0, items.length, items[0] ? nameOf(items[0]) : '');
    const written = await renderOnThreads(items, threads, {
      staging,
      ffmpegPath: options.ffmpegPath,
      inThisThread: (item) => writeDemoItem(layout, item, options.ffmpegPath),
      onDone: (item) => {
        done++;
        options.onProgress?.(done, items.length, done < items.length ? nameOf(item) : '');
      },
    });
    const manifest: DemoManifest = {
      version: DEMO_MANIFEST_VERSION,
      seed: DEMO_SEED,
      photos: written.slice(videos.length) as DemoManifestPhoto[],
      videos: written.slice(0, videos.length) as DemoManifestVideo[],
    };
    await writeFile(
      path.join(layout.groundTruthDir, MANIFEST_FILE),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    await rm(demoDir, { recursive: true, force: true });
    await rename(staging, demoDir);
    return manifest;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
