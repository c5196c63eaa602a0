import type { SceneFamily } from './scenes';

/** EXIF orientations the demo uses: 1 upright, 6 stored rotated (display 90° clockwise), 8 (90° anticlockwise). */
export type DemoOrientation = 1 | 6 | 8;

export interface DemoPhoto {
  name: string;
  family: SceneFamily;
  seed: number;
  /** Size as displayed (after EXIF orientation). */
  width: number;
  height: number;
  orientation: DemoOrientation;
  focalLength35mm: number;
  /** Capture instant, UTC. */
  capturedAt: string;
}

export interface DemoVideo {
  name: string;
  family: SceneFamily;
  seed: number;
  width: number;
  height: number;
  framesPerSecond: number;
  durationSeconds: number;
  focalLength35mm: number;
  /** Sideways camera travel over the clip in metres (0 = still camera, moving objects). */
  dollyMeters: number;
  capturedAt: string;
}

/**
 * The demo library: landscape, portrait and square photos (two stored rotated with an EXIF
 * orientation), captured over five months, and two short videos.
 */
export const DEMO_PHOTOS: readonly DemoPhoto[] = [
  {
    name: '2026-06-02-room.jpg',
    family: 'room',
    seed: 101,
    width: 1600,
    height: 1200,
    orientation: 1,
    focalLength35mm: 26,
    capturedAt: '2026-06-02T09:14:05Z',
  },
  {
    name: '2026-06-19-courtyard.jpg',
    family: 'courtyard',
    seed: 102,
    width: 1600,
    height: 900,
    orientation: 1,
    focalLength35mm: 24,
    capturedAt: '2026-06-19T17:42:31Z',
  },
  {
    name: '2026-07-04-corridor.jpg',
    family: 'corridor',
    seed: 103,
    width: 1200,
    height: 1600,
    orientation: 1,
    focalLength35mm: 28,
    capturedAt: '2026-07-04T11:03:59Z',
  },
  {
    name: '2026-07-04-room-square.jpg',
    family: 'room',
    seed: 104,
    width: 1280,
    height: 1280,
    orientation: 1,
    focalLength35mm: 26,
    capturedAt: '2026-07-04T11:20:12Z',
  },
  {
    name: '2026-07-21-courtyard-portrait.jpg',
    family: 'courtyard',
    seed: 105,
    width: 1200,
    height: 1600,
    orientation: 6,
    focalLength35mm: 26,
    capturedAt: '2026-07-21T19:05:44Z',
  },
  {
    name: '2026-08-08-room-wide.jpg',
    family: 'room',
    seed: 106,
    width: 1600,
    height: 900,
    orientation: 1,
    focalLength35mm: 24,
    capturedAt: '2026-08-08T08:30:00Z',
  },
  {
    name: '2026-08-15-corridor-rotated.jpg',
    family: 'corridor',
    seed: 107,
    width: 1600,
    height: 1200,
    orientation: 8,
    focalLength35mm: 35,
    capturedAt: '2026-08-15T14:47:18Z',
  },
  {
    name: '2026-08-30-courtyard-square.jpg',
    family: 'courtyard',
    seed: 108,
    width: 1280,
    height: 1280,
    orientation: 1,
    focalLength35mm: 28,
    capturedAt: '2026-08-30T16:12:09Z',
  },
  {
    name: '2026-09-12-room-tall.jpg',
    family: 'room',
    seed: 109,
    width: 900,
    height: 1600,
    orientation: 1,
    focalLength35mm: 26,
    capturedAt: '2026-09-12T10:55:27Z',
  },
  {
    name: '2026-09-27-corridor.jpg',
    family: 'corridor',
    seed: 110,
    width: 1600,
    height: 1200,
    orientation: 1,
    focalLength35mm: 24,
    capturedAt: '2026-09-27T13:33:41Z',
  },
  {
    name: '2026-10-09-courtyard.jpg',
    family: 'courtyard',
    seed: 111,
    width: 1600,
    height: 1200,
    orientation: 1,
    focalLength35mm: 35,
    capturedAt: '2026-10-09T18:21:02Z',
  },
  {
    name: '2026-10-24-room.jpg',
    family: 'room',
    seed: 112,
    width: 1536,
    height: 1024,
    orientation: 1,
    focalLength35mm: 50,
    capturedAt: '2026-10-24T12:00:36Z',
  },
];

export const DEMO_VIDEOS: readonly DemoVideo[] = [
  {
    name: '2026-08-20-room-dolly.mp4',
    family: 'room',
    seed: 201,
    width: 480,
    height: 270,
    framesPerSecond: 24,
    durationSeconds: 3,
    focalLength35mm: 26,
    dollyMeters: 1.2,
    capturedAt: '2026-08-20T15:10:00Z',
  },
  {
    name: '2026-10-01-courtyard-spheres.mp4',
    family: 'courtyard',
    seed: 202,
    width: 480,
    height: 270,
    framesPerSecond: 24,
    durationSeconds: 3,
    focalLength35mm: 24,
    dollyMeters: 0,
    capturedAt: '2026-10-01T17:45:00Z',
  },
];
