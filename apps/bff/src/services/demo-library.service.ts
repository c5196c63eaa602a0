import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GROUND_TRUTH_DEPTH_MODEL } from '@immichvr/shared';
import type { Database } from '../db/database';
import { findMediaWithoutDepthMap, recordDepthMap } from '../db/queries/depth-maps.queries';
import { countMediaItems } from '../db/queries/library.queries';
import { demoLayout, generateDemo } from '../demo/generate-demo';
import type { DemoGroundTruth, DemoManifest } from '../demo/manifest';
import { DEMO_MANIFEST_VERSION, MANIFEST_FILE } from '../demo/manifest';
import { sha256File } from '../import/hash-file';
import { importFolder } from './import.service';

/** The model_name of depth maps that are the demo scenes' exact depth, not an estimate. */
export const GROUND_TRUTH_MODEL = GROUND_TRUTH_DEPTH_MODEL;
export const GROUND_TRUTH_VERSION = 'demo-v1';

export interface DemoLibraryOptions {
  dataDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  onProgress?: (line: string) => void;
}

export interface DemoLibraryResult {
  generated: boolean;
  added: number;
  depthMaps: number;
}

export function demoDir(dataDir: string): string {
  return path.join(dataDir, 'demo');
}

/** Creates the demo library when the library is empty (what `pnpm start` does on first run). */
export async function seedDemoIfEmpty(
  db: Database,
  options: DemoLibraryOptions,
): Promise<DemoLibraryResult | null> {
  if ((await countMediaItems(db)) > 0) return null;
  return createDemoLibrary(db, options);
}

/**
 * Renders the demo (unless a complete one is already on disk), imports it in place through the
 * same path as any folder, without queueing, and records its ground-truth depth maps.
 */
export async function createDemoLibrary(
  db: Database,
  options: DemoLibraryOptions,
): Promise<DemoLibraryResult> {
  const dir = demoDir(options.dataDir);
  const layout = demoLayout(dir);
  let manifest = await readManifest(layout.groundTruthDir);
  const generated = manifest === null;
  if (!manifest) {
    manifest = await generateDemo(dir, {
      ffmpegPath: options.ffmpegPath,
      onProgress: (done, total, name) =>
        options.onProgress?.(`Rendering demo library ${done}/${total}${name ? ` ${name}` : ''}`),
    });
  }
  const summary = await importFolder(db, layout.mediaDir, {
    ffprobePath: options.ffprobePath,
    queue: false,
    onProgress: ({ processed, total }) =>
      options.onProgress?.(`Importing demo library ${processed}/${total}`),
  });
  if (summary.skipped.length > 0) {
    const first = summary.skipped[0];
    throw new Error(`The demo library could not be imported: ${first?.file}: ${first?.reason}`);
  }

  // Every demo item without a depth map gets its ground truth (also mending an interrupted run).
  const mediaFiles = [...manifest.photos, ...manifest.videos].map((m) =>
    path.join(layout.mediaDir, m.mediaFile),
  );
  const missing = await findMediaWithoutDepthMap(db, mediaFiles);
  let depthMaps = 0;
  const record = async (
    mediaFile: string,
    truth: DemoGroundTruth,
    extra: Record<string, unknown>,
    file: { path: string; format: 'png' | 'mp4'; width: number; height: number } = {
      path: truth.depthFile,
      format: 'png',
      width: truth.width,
      height: truth.height,
    },
  ) => {
    const mediaId = missing.get(path.join(layout.mediaDir, mediaFile));
    if (!mediaId) return;
    const filePath = path.join(layout.groundTruthDir, file.path);
    await recordDepthMap(db, {
      mediaItemId: mediaId,
      filePath,
      fileSize: (await stat(filePath)).size,
      format: file.format,
      width: file.width,
      height: file.height,
      modelName: GROUND_TRUTH_MODEL,
      modelVersion: GROUND_TRUTH_VERSION,
      processingParams: {
        encoding: truth.encoding,
        depthKind: 'camera-z',
        focalLength35mm: truth.focalLength35mm,
        focalLengthPixels: truth.focalLengthPixels,
        surfaceIdsFile: truth.surfaceIdsFile,
        ...extra,
      },
      checksum: await sha256File(filePath),
    });
    depthMaps++;
  };
  for (const photo of manifest.photos) await record(photo.mediaFile, photo, {});
  for (const video of manifest.videos) {
    const first = video.frames[0];
    if (!first) continue;
    // A video's depth is its depth video (every frame, colour over depth, the clip's encoding).
    const { depthVideo } = video;
    await record(
      video.mediaFile,
      first,
      {
        video: depthVideo.video,
        framesPerSecond: video.framesPerSecond,
        frameDepthFiles: video.frames.map((f) => f.depthFile),
      },
      { path: depthVideo.file, format: 'mp4', width: depthVideo.width, height: depthVideo.height },
    );
  }
  return { generated, added: summary.added, depthMaps };
}

async function readManifest(groundTruthDir: string): Promise<DemoManifest | null> {
  try {
    const manifest = JSON.parse(
      await readFile(path.join(groundTruthDir, MANIFEST_FILE), 'utf8'),
    ) as DemoManifest;
    // A demo rendered by an earlier version is rendered again.
    return manifest.version === DEMO_MANIFEST_VERSION ? manifest : null;
  } catch {
    return null;
  }
}
