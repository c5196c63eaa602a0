import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readJpegHeader } from './jpeg-header';
import { probePhoto } from './probe-photo';

/** Photographs nobody here made: Debian's mate-backgrounds (installed by `.ci/run`). */
const REAL_PHOTOS = '/usr/share/backgrounds/mate';

async function realJpegs(): Promise<string[]> {
  const entries = await readdir(REAL_PHOTOS, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.jpe?g$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * A 60×40 JPEG with the given EXIF orientation, capture date and offset, and an XMP block moved in
 * front of the EXIF one (both are APP1 segments; cameras and editors write them in either order).
 */
async function jpegWith(orientation: number, options: { progressive?: boolean } = {}) {
  const bytes = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#3a7' } })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>')
    .withExif({
      IFD0: { Make: 'ImmichVR test' },
      IFD2: { DateTimeOriginal: '2021:03:04 05:06:07', OffsetTimeOriginal: '+02:00' },
    })
    .withMetadata({ orientation })
    .jpeg({ progressive: options.progressive ?? false })
    .toBuffer();
  // sharp writes SOI, the EXIF APP1, then the XMP APP1: swap the two segments.
  const exifEnd = 4 + bytes.readUInt16BE(4);
  const xmpEnd = exifEnd + 2 + bytes.readUInt16BE(exifEnd + 2);
  expect(bytes.subarray(6, 10).toString('latin1')).toBe('Exif');
  expect(bytes.subarray(exifEnd + 4, exifEnd + 8).toString('latin1')).toBe('http');
  return Buffer.concat([
    bytes.subarray(0, 2),
    bytes.subarray(exifEnd, xmpEnd),
    bytes.subarray(2, exifEnd),
    bytes.subarray(xmpEnd),
  ]);
}

describe('a JPEG read from its markers', () => {
  it('says what libvips says of every real photograph: size, orientation, EXIF and capture date', async () => {
    const files = await realJpegs();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = await readFile(file);
      const meta = await sharp(bytes).metadata();
      const header = readJpegHeader(bytes);
      expect(header, file).not.toBeNull();
      expect([header?.width, header?.height], file).toEqual([meta.width, meta.height]);
      expect(header?.exif?.equals(meta.exif as Buffer) ?? meta.exif === undefined, file).toBe(true);
      // From memory (the markers) and from the file (libvips): the same facts.
      expect(await probePhoto(bytes, 'image/jpeg'), file).toEqual(await probePhoto(file));
    }
  });

  it('turns the size for orientations 5–8, reads the capture date past an XMP block, baseline and progressive', async () => {
    const dir = os.tmpdir();
    for (const progressive of [false, true])
      for (let orientation = 1; orientation <= 8; orientation++) {
        const bytes = await jpegWith(orientation, { progressive });
        const file = path.join(dir, `immichvr-jpeg-header-${process.pid}-${orientation}.jpg`);
        await writeFile(file, bytes);
        const facts = await probePhoto(bytes, 'image/jpeg');
        expect(facts).toEqual(await probePhoto(file));
        expect([facts.width, facts.height]).toEqual(orientation >= 5 ? [40, 60] : [60, 40]);
        expect(facts.capturedAt?.toISOString()).toBe('2021-03-04T03:06:07.000Z');
      }
  });

  it('walks fill bytes and standalone markers to the frame', () => {
    const bytes = Buffer.from([
      0xff,
      0xd8, // SOI
      0xff,
      0xff, // a fill byte before the next marker
      0xff,
      0xe0,
      0x00,
      0x04,
      0x4a,
      0x46, // APP0, 2 bytes of body
      0xff,
      0xd3, // RST3 (no length)
      0xff,
      0xc2,
      0x00,
      0x0b,
      0x08,
      0x01,
      0x2c,
      0x02,
      0x58,
      0x01,
      0x01,
      0x11,
      0x00, // SOF2: 600×300
      0xff,
      0xda, // SOS: the walk stops here
    ]);
    expect(readJpegHeader(bytes)).toEqual({ width: 600, height: 300, exif: null });
  });

  it('gives up on what it cannot read, and the probe asks libvips instead', async () => {
    const whole = await jpegWith(6);
    expect(readJpegHeader(Buffer.from('not a jpeg at all'))).toBeNull();
    expect(readJpegHeader(whole.subarray(0, 40))).toBeNull(); // cut inside a segment
    // A frame whose height comes later (DNL): not measurable from the markers.
    const sof = whole.indexOf(Buffer.from([0xff, 0xc0]));
    const noHeight = Buffer.from(whole);
    noHeight.writeUInt16BE(0, sof + 5);
    expect(readJpegHeader(noHeight)).toBeNull();
    // libvips cannot measure a cut header either: nothing is made up.
    expect(await probePhoto(whole.subarray(0, 40), 'image/jpeg')).toEqual({
      width: null,
      height: null,
      capturedAt: null,
    });
  });
});
