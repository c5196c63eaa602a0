import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeDepthPng } from './decode-depth-png';

/** A CRC-32 per chunk, as PNG writes it (the decoder does not need it; real files have it). */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(
    [...type].map((c) => c.charCodeAt(0)),
    4,
  );
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/**
 * A PNG written here byte by byte, each row with the given filter (0 None … 4 Paeth, cycling when
 * `filters` is shorter than the image), the zlib stream split over several IDAT chunks.
 */
function writePng(options: {
  width: number;
  height: number;
  bitDepth: 8 | 16;
  colourType: 0 | 2 | 4 | 6;
  pixels: Uint8Array;
  filters: number[];
}): Uint8Array {
  const { width, height, bitDepth, colourType, pixels, filters } = options;
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType];
  const bpp = channels * (bitDepth / 8);
  const stride = width * bpp;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length] as number;
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const value = pixels[y * stride + x] as number;
      const a = x >= bpp ? (pixels[y * stride + x - bpp] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (pixels[(y - 1) * stride + x - bpp] as number) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter] as number;
      raw[y * (stride + 1) + 1 + x] = (value - predicted) & 255;
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([bitDepth, colourType, 0, 0, 0], 8);
  const zlib = new Uint8Array(deflateSync(raw));
  const third = Math.ceil(zlib.length / 3);
  const parts = [
    Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('tEXt', new TextEncoder().encode('Comment\0a depth map')),
    chunk('IDAT', zlib.subarray(0, third)),
    chunk('IDAT', zlib.subarray(third, 2 * third)),
    chunk('IDAT', zlib.subarray(2 * third)),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Noisy 16-bit samples with edges: what makes every filter's arithmetic wrap. */
const sampleAt = (x: number, y: number) =>
  (x * 4099 + y * 7919 + ((x * y * 2654435761) >>> 16) + (x > 11 ? 40_000 : 0)) & 0xffff;

describe('the depth PNG decoder', () => {
  for (const filter of [0, 1, 2, 3, 4])
    it(`undoes row filter ${filter} on 16-bit grey, every sample exact`, async () => {
      const width = 23;
      const height = 9;
      const pixels = new Uint8Array(width * height * 2);
      for (let i = 0; i < width * height; i++) {
        const s = sampleAt(i % width, Math.floor(i / width));
        pixels[2 * i] = s >> 8;
        pixels[2 * i + 1] = s & 255;
      }
      const png = writePng({
        width,
        height,
        bitDepth: 16,
        colourType: 0,
        pixels,
        filters: [filter],
      });
      const decoded = await decodeDepthPng(png);
      expect(decoded).toMatchObject({ width, height, bitDepth: 16 });
      expect(Array.from(decoded.samples)).toEqual(
        Array.from({ length: width * height }, (_, i) =>
          sampleAt(i % width, Math.floor(i / width)),
        ),
      );
    });

  it('reads the first channel of grey+alpha, RGB and RGBA, rows filtered in turn', async () => {
    const width = 7;
    const height = 10;
    for (const [colourType, channels] of [
      [4, 2],
      [2, 3],
      [6, 4],
    ] as const) {
      const pixels = new Uint8Array(width * height * channels);
      for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + (i % channels) * 101) & 255;
      const png = writePng({
        width,
        height,
        bitDepth: 8,
        colourType,
        pixels,
        filters: [0, 1, 2, 3, 4],
      });
      const decoded = await decodeDepthPng(png);
      expect(decoded.bitDepth).toBe(8);
      expect(Array.from(decoded.samples)).toEqual(
        Array.from({ length: width * height }, (_, i) => (pixels[i * channels] as number) * 257),
      );
    }
  });

  it('says why it cannot read a map: palette, interlace, a cut or corrupt stream', async () => {
    const pixels = new Uint8Array(4 * 4);
    const good = writePng({
      width: 4,
      height: 4,
      bitDepth: 8,
      colourType: 0,
      pixels,
      filters: [0],
    });
    const withHeader = (offset: number, value: number) => {
      const copy = good.slice();
      copy[8 + 8 + offset] = value;
      return copy;
    };
    await expect(decodeDepthPng(withHeader(9, 3))).rejects.toThrow(/colour type 3/);
    await expect(decodeDepthPng(withHeader(12, 1))).rejects.toThrow(/interlaced/);
    await expect(decodeDepthPng(withHeader(8, 4))).rejects.toThrow(/bit depth 4/);
    await expect(decodeDepthPng(good.subarray(0, good.length - 40))).rejects.toThrow(
      /not a PNG depth map/,
    );
    // The zlib stream's checksum (its last 4 bytes, before the last IDAT's CRC and IEND) broken.
    const corrupt = good.slice();
    const checksumEnd = good.length - 12 - 4;
    for (let i = checksumEnd - 4; i < checksumEnd; i++) corrupt[i] = (corrupt[i] as number) ^ 0x5a;
    await expect(decodeDepthPng(corrupt)).rejects.toThrow(/not a PNG depth map/);
  });
});
