export interface DepthSamples {
  width: number;
  height: number;
  /** 16-bit disparity samples (near = 65535), row-major, top row first. */
  samples: Uint16Array;
  /** Bits per sample in the file: 8-bit maps are widened but keep only 256 levels. */
  bitDepth: 8 | 16;
}

export class DepthDecodeError extends Error {
  override name = 'DepthDecodeError';
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Samples per pixel of each PNG colour type (palette images are not depth maps). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/**
 * Decodes a depth PNG ourselves: the browser would hand WebGL 8 bits of a 16-bit PNG. Grey (or
 * grey+alpha, RGB: the first channel) at 8 or 16 bits, not interlaced. The compressed data is
 * inflated by the platform (DecompressionStream, native code: fast from the first map, where a
 * JavaScript inflater runs cold); the row filters are undone here.
 */
export async function decodeDepthPng(bytes: Uint8Array): Promise<DepthSamples> {
  const header = readChunks(bytes);
  const { width, height, bitDepth, channels } = header;
  const bytesPerPixel = channels * (bitDepth / 8);
  const stride = width * bytesPerPixel;
  let filtered: Uint8Array;
  try {
    filtered = await inflate(header.data);
  } catch (error) {
    throw new DepthDecodeError(`not a PNG depth map: bad image data (${(error as Error).message})`);
  }
  if (filtered.length < (stride + 1) * height)
    throw new DepthDecodeError('not a PNG depth map: its image data is cut short');
  const pixels = unfilter(filtered, height, stride, bytesPerPixel);
  const count = width * height;
  const samples = new Uint16Array(count);
  if (bitDepth === 16)
    for (let i = 0, at = 0; i < count; i++, at += bytesPerPixel)
      samples[i] = ((pixels[at] as number) << 8) | (pixels[at + 1] as number);
  else
    for (let i = 0, at = 0; i < count; i++, at += bytesPerPixel)
      samples[i] = (pixels[at] as number) * 257;
  return { width, height, samples, bitDepth };
}

interface PngHeader {
  width: number;
  height: number;
  bitDepth: 8 | 16;
  channels: number;
  /** The IDAT chunks' contents, in order: one zlib stream. */
  data: Uint8Array[];
}

function readChunks(bytes: Uint8Array): PngHeader {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw new DepthDecodeError('not a PNG depth map: no PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data: Uint8Array[] = [];
  let header: Omit<PngHeader, 'data'> | null = null;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (body.length < length) throw new DepthDecodeError(`not a PNG depth map: ${type} cut short`);
    if (type === 'IHDR') header = readHeader(new DataView(body.buffer, body.byteOffset, length));
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!header) throw new DepthDecodeError('not a PNG depth map: no header');
  if (data.length === 0) throw new DepthDecodeError('not a PNG depth map: no image data');
  return { ...header, data };
}

function readHeader(ihdr: DataView): Omit<PngHeader, 'data'> {
  if (ihdr.byteLength < 13) throw new DepthDecodeError('not a PNG depth map: short header');
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  const bitDepth = ihdr.getUint8(8);
  const colourType = ihdr.getUint8(9);
  const channels = CHANNELS[colourType];
  if (bitDepth !== 8 && bitDepth !== 16)
    throw new DepthDecodeError(`unsupported bit depth ${bitDepth}`);
  if (channels === undefined)
    throw new DepthDecodeError(`unsupported PNG colour type ${colourType} (a palette?)`);
  if (ihdr.getUint8(12) !== 0) throw new DepthDecodeError('interlaced depth maps are not read');
  if (width === 0 || height === 0) throw new DepthDecodeError('an empty depth map');
  return { width, height, bitDepth, channels };
}

async function inflate(parts: Uint8Array[]): Promise<Uint8Array> {
  const inflater = new DecompressionStream('deflate');
  const writer = inflater.writable.getWriter();
  // Errors surface on the reading side; the writes' own rejections are the same error.
  for (const part of parts) writer.write(part as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = inflater.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth) into plain pixel bytes. */
function unfilter(
  data: Uint8Array,
  height: number,
  stride: number,
  bytesPerPixel: number,
): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)] as number;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    switch (filter) {
      case 0:
        out.set(data.subarray(src, src + stride), row);
        break;
      case 1:
        for (let x = 0; x < stride; x++) {
          const left = x >= bytesPerPixel ? (out[row + x - bytesPerPixel] as number) : 0;
          out[row + x] = ((data[src + x] as number) + left) & 255;
        }
        break;
      case 2:
        for (let x = 0; x < stride; x++) {
          const above = y > 0 ? (out[up + x] as number) : 0;
          out[row + x] = ((data[src + x] as number) + above) & 255;
        }
        break;
      case 3:
        for (let x = 0; x < stride; x++) {
          const left = x >= bytesPerPixel ? (out[row + x - bytesPerPixel] as number) : 0;
          const above = y > 0 ? (out[up + x] as number) : 0;
          out[row + x] = ((data[src + x] as number) + ((left + above) >> 1)) & 255;
        }
        break;
      case 4:
        for (let x = 0; x < stride; x++) {
          const a = x >= bytesPerPixel ? (out[row + x - bytesPerPixel] as number) : 0;
          const b = y > 0 ? (out[up + x] as number) : 0;
          const c = x >= bytesPerPixel && y > 0 ? (out[up + x - bytesPerPixel] as number) : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          const predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          out[row + x] = ((data[src + x] as number) + predictor) & 255;
        }
        break;
      default:
        throw new DepthDecodeError(`not a PNG depth map: unknown row filter ${filter}`);
    }
  }
  return out;
}
