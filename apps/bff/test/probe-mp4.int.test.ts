import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMp4 } from '../src/import/probe-mp4';
import { probeVideo, probeWithFfprobe } from '../src/import/probe-video';

const run = promisify(execFile);

/** Real files made by ffmpeg; ffprobe's reading of each is what the in-process reading must say. */
describe('reading MP4 and QuickTime files in-process', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const ffmpeg = (args: string[]) =>
    run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
  const testsrc = (size: string, rate: string, seconds: number) => [
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${size}:rate=${rate}`,
    '-t',
    String(seconds),
  ];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-mp4-'));
    await ffmpeg([...testsrc('320x240', '30000/1001', 2), '-pix_fmt', 'yuv420p', file('ntsc.mp4')]);
    await ffmpeg([
      ...testsrc('320x240', '30000/1001', 2),
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      file('faststart.mp4'),
    ]);
    await ffmpeg([
      ...testsrc('400x224', '25', 1.6),
      '-metadata',
      'creation_time=2024-05-06T07:08:09Z',
      '-f',
      'mov',
      file('camera.mov'),
    ]);
    // An audio track before the video track.
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=1',
      ...testsrc('256x144', '24', 1),
      '-map',
      '0',
      '-map',
      '1',
      '-c:a',
      'aac',
      file('audio-first.mp4'),
    ]);
    await ffmpeg([
      ...testsrc('320x240', '30', 1),
      '-movflags',
      'frag_keyframe+empty_moov',
      file('fragmented.mp4'),
    ]);
    await ffmpeg([...testsrc('160x120', '30', 0.5), '-c:v', 'libvpx', file('clip.webm')]);
    // A phone's portrait video: stored landscape, turned by the track's display matrix (90°).
    const turned = await readFile(file('ntsc.mp4'));
    const tkhd = turned.indexOf('tkhd', 0, 'latin1');
    const matrix = tkhd + 4 + 4 + 20 + 8 + 8;
    for (const [i, v] of [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000].entries())
      turned.writeInt32BE(v, matrix + 4 * i);
    await writeFile(file('portrait.mp4'), turned);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['ntsc.mp4', 'faststart.mp4', 'camera.mov', 'audio-first.mp4', 'portrait.mp4'])(
    '%s: as ffprobe reads it',
    async (name) => {
      const ours = await probeMp4(file(name));
      const ffprobe = await probeWithFfprobe(file(name), 'ffprobe');
      expect(ours).not.toBeNull();
      expect(ours?.width).toBe(ffprobe.width);
      expect(ours?.height).toBe(ffprobe.height);
      expect(ours?.durationSeconds).toBeCloseTo(ffprobe.durationSeconds as number, 1);
      expect(ours?.framesPerSecond).toBeCloseTo(ffprobe.framesPerSecond as number, 1);
      expect(ours?.capturedAt?.toISOString()).toBe(ffprobe.capturedAt?.toISOString());
    },
  );

  it('turns a portrait video upright and keeps a camera’s creation time', async () => {
    expect(await probeMp4(file('portrait.mp4'))).toMatchObject({ width: 240, height: 320 });
    expect((await probeMp4(file('camera.mov')))?.capturedAt?.toISOString()).toBe(
      '2024-05-06T07:08:09.000Z',
    );
    expect((await probeMp4(file('ntsc.mp4')))?.framesPerSecond).toBeCloseTo(29.97, 2);
  });

  it('leaves what it does not read whole to ffprobe: fragmented MP4, WebM, not a video', async () => {
    await writeFile(file('not-a-video.mp4'), 'hello');
    for (const name of ['fragmented.mp4', 'clip.webm', 'not-a-video.mp4'])
      expect(await probeMp4(file(name)), name).toBeNull();
    // The import still describes them, through ffprobe.
    expect(await probeVideo(file('fragmented.mp4'), 'ffprobe')).toMatchObject({
      width: 320,
      height: 240,
    });
    expect(await probeVideo(file('clip.webm'), 'ffprobe')).toMatchObject({
      width: 160,
      height: 120,
    });
  });

  it('a truncated file is not misread', async () => {
    const whole = await readFile(file('faststart.mp4'));
    await writeFile(file('truncated.mp4'), whole.subarray(0, 600));
    expect(await probeMp4(file('truncated.mp4'))).toBeNull();
  });
});
