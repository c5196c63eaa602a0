import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DisparityEncoding, drawFrameCode } from '@immichvr/shared';
import sharp from 'sharp';
import { DepthVideoEncoder } from '../worker/video/depth-video-encoder';
import { histogramStats } from '../worker/video/make-depth-video';
import { stackedLayout, stackFrame } from '../worker/video/stacked-frame';
import { planDepthVideo } from '../worker/video/video-plan';
import { spawnFfmpeg } from '../worker/video/video-process';
import type { DemoPhoto, DemoVideo } from './catalogue';
import type { DemoLayout } from './demo-layout';
import { depthToPng, encodingFor } from './depth-png';
import type { DemoGroundTruth, DemoManifestPhoto, DemoManifestVideo } from './manifest';
import { type RenderedView, renderView } from './render';
import { FULL_FRAME_DIAGONAL_MM } from './scene';
import { buildScene, eyeLevelCamera } from './scenes';

/** One entry of the demo catalogue to render. */
export type DemoItem = { kind: 'photo'; photo: DemoPhoto } | { kind: 'video'; video: DemoVideo };

/** Renders one catalogue entry into the layout: its media file and its ground truth. */
export function writeDemoItem(
  layout: DemoLayout,
  item: DemoItem,
  ffmpegPath: string,
): Promise<DemoManifestPhoto | DemoManifestVideo> {
  return item.kind === 'photo'
    ? writePhoto(layout, item.photo)
    : writeVideo(layout, item.video, ffmpegPath);
}

/** Frames whose ground truth PNGs are encoded at once (sharp's default thread pool is 4). */
const GROUND_TRUTH_AT_ONCE = 4;

/** fn over items, `size` at a time; results in the items' order. */
async function mapInBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size)
    results.push(
      ...(await Promise.all(
        items.slice(start, start + size).map((item, k) => fn(item, start + k)),
      )),
    );
  return results;
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

  // One encoding for the whole clip, so a depth value means the same distance in every frame.
  const all = new Float32Array(views.length * 2);
  views.forEach((v, k) => {
    const e = encodingFor(v.depthMeters);
    all[2 * k] = 1 / (e.shift + e.scale);
    all[2 * k + 1] = 1 / e.shift;
  });
  const encoding = encodingFor(all);
  const stem = path.parse(video.name).name;
  // The clip, its per-frame ground truth and its depth video are independent files: written at
  // once, ffmpeg's two encoders and sharp's PNG encoding use the cores this thread leaves idle.
  const [, frames, depthVideo] = await Promise.all([
    encodeH264(ffmpegPath, views, video, path.join(layout.mediaDir, mediaFile)),
    mapInBatches(views, GROUND_TRUTH_AT_ONCE, (view, k) =>
      writeGroundTruth(
        layout,
        `videos/${stem}/frame-${String(k).padStart(4, '0')}`,
        view,
        encoding,
        video.focalLength35mm,
      ),
    ),
    writeDepthVideo(layout, stem, views, video, encoding, ffmpegPath),
  ]);
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
