import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DisparityEncoding, drawFrameCode } from '@immichvr/shared';
import sharp from 'sharp';
import { DepthVideoEncoder } from '../worker/video/depth-video-encoder';
import { histogramStats } from '../worker/video/make-depth-video';
import { stackedLayout, stackFrame } from '../worker/video/stacked-frame';
import { planDepthVideo } from '../worker/video/video-plan';
import { spawnFfmpeg } from '../worker/video/video-process';
import { DEMO_PHOTOS, DEMO_VIDEOS, type DemoPhoto, type DemoVideo } from './catalogue';
import { depthToPng, encodingFor } from './depth-png';
import type {
  DemoGroundTruth,
  DemoManifest,
  DemoManifestPhoto,
  DemoManifestVideo,
} from './manifest';
import { DEMO_MANIFEST_VERSION, MANIFEST_FILE } from './manifest';
import { type RenderedView, renderView } from './render';
import { FULL_FRAME_DIAGONAL_MM } from './scene';
import { buildScene, eyeLevelCamera } from './scenes';

export const DEMO_SEED = 1;

export interface DemoLayout {
  /** The demo's media folder, imported in place like any user folder. */
  mediaDir: string;
  /** Ground-truth depth, surface ids and the manifest: never imported as media. */
  groundTruthDir: string;
}

export function demoLayout(demoDir: string): DemoLayout {
  return {
    mediaDir: path.join(demoDir, 'media'),
    groundTruthDir: path.join(demoDir, 'ground-truth'),
  };
}

export interface GenerateDemoOptions {
  ffmpegPath: string;
  /** Subsets for tests; the whole catalogue by default. */
  photos?: readonly DemoPhoto[];
  videos?: readonly DemoVideo[];
  onProgress?: (done: number, total: number, name: string) => void;
}

/**
 * Renders the demo library into `demoDir`. Deterministic: the same catalogue gives byte-identical
 * files. Everything is written into a temporary sibling folder that is renamed into place at the
 * end, so an interrupted run never leaves half a demo behind.
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

  const total = photos.length + videos.length;
  let done = 0;
  const manifest: DemoManifest = {
    version: DEMO_MANIFEST_VERSION,
    seed: DEMO_SEED,
    photos: [],
    videos: [],
  };
  try {
    for (const photo of photos) {
      options.onProgress?.(done, total, photo.name);
      manifest.photos.push(await writePhoto(layout, photo));
      done++;
    }
    for (const video of videos) {
      options.onProgress?.(done, total, video.name);
      manifest.videos.push(await writeVideo(layout, video, options.ffmpegPath));
      done++;
    }
    options.onProgress?.(done, total, '');
    await writeFile(
      path.join(layout.groundTruthDir, MANIFEST_FILE),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    await rm(demoDir, { recursive: true, force: true });
    await rename(staging, demoDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}

async function writeGroundTruth(
  layout: DemoLayout,
  baseName: string,
  view: RenderedView,
  encoding: DemoGroundTruth['encoding'],
  focalLength35mm: number,
): Promise<DemoGroundTruth> {
  const depthFile = `${baseName}.depth.png`;
  const surfaceIdsFile = `${baseName}.ids.png`;
  await mkdir(path.dirname(path.join(layout.groundTruthDir, depthFile)), { recursive: true });
  await writeFile(
    path.join(layout.groundTruthDir, depthFile),
    await depthToPng(view.depthMeters, view.width, view.height, encoding),
  );
  await sharp(view.surfaceIds, { raw: { width: view.width, height: view.height, channels: 1 } })
    .png()
    .toFile(path.join(layout.groundTruthDir, surfaceIdsFile));
  return {
    depthFile,
    surfaceIdsFile,
    width: view.width,
    height: view.height,
    encoding,
    focalLength35mm,
    focalLengthPixels:
      (Math.hypot(view.width, view.height) * focalLength35mm) / FULL_FRAME_DIAGONAL_MM,
  };
}

async function writePhoto(layout: DemoLayout, photo: DemoPhoto): Promise<DemoManifestPhoto> {
  const camera = eyeLevelCamera(photo.seed, photo.focalLength35mm);
  const view = renderView(buildScene(photo.family, photo.seed), camera, photo.width, photo.height);
  const mediaFile = `photos/${photo.name}`;
  // Stored pixels are the displayed image turned back by the EXIF orientation.
  const storedRotation = photo.orientation === 6 ? -90 : photo.orientation === 8 ? 90 : 0;
  const local = new Date(photo.capturedAt)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ')
    .replace(/-/g, ':');
  await sharp(view.rgb, { raw: { width: view.width, height: view.height, channels: 3 } })
    .rotate(storedRotation)
    .withMetadata({ orientation: photo.orientation })
    .withExif({
      IFD0: { Make: 'ImmichVR', Model: 'Demo scene renderer', Software: 'immichvr-demo' },
      IFD2: {
        DateTimeOriginal: local,
        OffsetTimeOriginal: '+00:00',
        FocalLengthIn35mmFilm: String(photo.focalLength35mm),
      },
    })
    .jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
    .toFile(path.join(layout.mediaDir, mediaFile));
  const truth = await writeGroundTruth(
    layout,
    `photos/${path.parse(photo.name).name}`,
    view,
    encodingFor(view.depthMeters),
    photo.focalLength35mm,
  );
  return { mediaFile, orientation: photo.orientation, capturedAt: photo.capturedAt, ...truth };
}

async function writeVideo(
  layout: DemoLayout,
  video: DemoVideo,
  ffmpegPath: string,
): Promise<DemoManifestVideo> {
  const frameCount = Math.round(video.framesPerSecond * video.durationSeconds);
  const base = eyeLevelCamera(video.seed, video.focalLength35mm);
  const views: RenderedView[] = [];
  for (let frame = 0; frame < frameCount; frame++) {
    const time = frame / video.framesPerSecond;
    const progress = frameCount > 1 ? frame / (frameCount - 1) : 0;
    const camera = {
      ...base,
      position: [
        base.position[0] + (progress - 0.5) * video.dollyMeters,
        base.position[1],
        base.position[2],
      ] as const,
    };
    views.push(
      renderView(
        buildScene(video.family, video.seed, time + 1e-3),
        camera,
        video.width,
        video.height,
      ),
    );
  }
  // Each frame shows its number (frame-code.ts), in colour here and in depth in the depth video.
  for (const [k, view] of views.entries())
    drawFrameCode(k, view.width, view.height, (x, y, on) => {
      view.rgb.fill(on ? 255 : 0, (y * view.width + x) * 3, (y * view.width + x) * 3 + 3);
    });
  const mediaFile = `videos/${video.name}`;
  await encodeH264(ffmpegPath, views, video, path.join(layout.mediaDir, mediaFile));

  // One encoding for the whole clip, so a depth value means the same distance in every frame.
  const all = new Float32Array(views.length * 2);
  views.forEach((v, k) => {
    const e = encodingFor(v.depthMeters);
    all[2 * k] = 1 / (e.shift + e.scale);
    all[2 * k + 1] = 1 / e.shift;
  });
  const encoding = encodingFor(all);
  const stem = path.parse(video.name).name;
  const frames: DemoGroundTruth[] = [];
  for (const [k, view] of views.entries()) {
    const name = `videos/${stem}/frame-${String(k).padStart(4, '0')}`;
    frames.push(await writeGroundTruth(layout, name, view, encoding, video.focalLength35mm));
  }
  const depthVideo = await writeDepthVideo(layout, stem, views, video, encoding, ffmpegPath);
  return {
    mediaFile,
    capturedAt: video.capturedAt,
    framesPerSecond: video.framesPerSecond,
    frameCount,
    frames,
    depthVideo,
  };
}

/**
 * The clip's exact depth as a depth video, the way the worker writes one (colour over depth, 8-bit
 * disparity over the full range) but with the clip's one metric encoding, and the frame code
 * drawn in depth too (near = 1).
 */
async function writeDepthVideo(
  layout: DemoLayout,
  stem: string,
  views: RenderedView[],
  video: DemoVideo,
  encoding: DisparityEncoding,
  ffmpegPath: string,
): Promise<DemoManifestVideo['depthVideo']> {
  const plan = planDepthVideo({
    width: video.width,
    height: video.height,
    framesPerSecond: video.framesPerSecond,
    durationSeconds: video.durationSeconds,
  });
  const file = `videos/${stem}/depth.mp4`;
  const encoder = DepthVideoEncoder.start(ffmpegPath, plan, {
    outFile: path.join(layout.groundTruthDir, file),
    audioFrom: null,
    signal: new AbortController().signal,
    threads: 1,
  });
  const histogram = new Float64Array(256);
  for (const [k, view] of views.entries()) {
    const levels = new Uint8Array(view.width * view.height);
    for (let i = 0; i < levels.length; i++) {
      const s = (1 / (view.depthMeters[i] as number) - encoding.shift) / encoding.scale;
      const level = Math.min(255, Math.max(0, Math.round(s * 255)));
      levels[i] = level;
      histogram[level] = (histogram[level] as number) + 1;
    }
    drawFrameCode(k, view.width, view.height, (x, y, on) => {
      levels[y * view.width + x] = on ? 255 : 0;
    });
    await encoder.write(stackFrame(view.rgb, levels, plan));
  }
  await encoder.finish();
  return {
    file,
    width: plan.frameWidth,
    height: plan.frameHeight,
    video: { ...stackedLayout(plan), stats: histogramStats(histogram) },
  };
}

/** Pipes raw RGB frames through ffmpeg's x264 with every source of run-to-run variation off. */
function encodeH264(
  ffmpegPath: string,
  views: RenderedView[],
  video: DemoVideo,
  file: string,
): Promise<void> {
  const args = [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${video.width}x${video.height}`,
    '-r',
    String(video.framesPerSecond),
    '-i',
    'pipe:0',
    '-c:v',
    'libx264',
    '-preset',
    'medium',
    '-crf',
    '20',
    '-pix_fmt',
    'yuv420p',
    '-threads',
    '1',
    '-x264-params',
    'threads=1',
    '-movflags',
    '+faststart',
    '-map_metadata',
    '-1',
    '-metadata',
    `creation_time=${video.capturedAt}`,
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    file,
  ];
  const { child, exited } = spawnFfmpeg(ffmpegPath, args, { stdin: true, stdout: false });
  const stdin = child.stdin as NonNullable<typeof child.stdin>;
  stdin.on('error', () => {}); // reported by the exit, with ffmpeg's own message
  for (const view of views) stdin.write(view.rgb);
  stdin.end();
  return exited.catch((error: Error) => {
    throw new Error(`ffmpeg could not encode ${video.name}: ${error.message}`);
  });
}
