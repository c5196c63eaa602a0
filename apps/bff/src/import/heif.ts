import { readFile } from 'node:fs/promises';
import libheif from 'libheif-js/wasm-bundle';

/**
 * HEIC/HEIF (what iPhones save): decoded by libheif compiled to WebAssembly, which installs from
 * npm on any machine (the prebuilt sharp has no HEVC decoder). Pixels come out upright (the
 * file's rotation and mirroring applied) as RGBA for sharp to take from there. One decode at a time
 * per process, and the size is checked before any pixel is decoded: memory stays bounded (a 12 MP
 * photo: 48 MB of pixels plus the file).
 */
export const HEIF_TYPES: ReadonlySet<string> = new Set(['image/heic', 'image/heif']);

export class HeifError extends Error {
  override name = 'HeifError';
}

export interface HeifPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
  exif: Buffer | null;
}

let decoder: InstanceType<typeof libheif.HeifDecoder> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Runs one libheif call after the previous one (the WebAssembly heap is one per process). */
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

function primaryOf(bytes: Uint8Array) {
  decoder ??= new libheif.HeifDecoder();
  const images = decoder.decode(bytes);
  const primary = images.find((i) => i.is_primary()) ?? images[0];
  if (!primary) {
    for (const image of images) image.free();
    throw new HeifError('the HEIF file holds no image libheif can read');
  }
  return { primary, images };
}

/** Size as displayed and the EXIF block, without decoding pixels. */
export function heifFacts(
  source: string | Uint8Array,
): Promise<{ width: number; height: number; exif: Buffer | null }> {
  return serially(async () => {
    const bytes = typeof source === 'string' ? await readFile(source) : source;
    const { primary, images } = primaryOf(bytes);
    try {
      return { width: primary.get_width(), height: primary.get_height(), exif: heifExif(bytes) };
    } finally {
      for (const image of images) image.free();
    }
  });
}

/** The primary image's pixels, upright; refused before decoding when over `maxPixels`. */
export function decodeHeif(file: string, maxPixels: number): Promise<HeifPixels> {
  return serially(async () => {
    const bytes = await readFile(file);
    const { primary, images } = primaryOf(bytes);
    try {
      const width = primary.get_width();
      const height = primary.get_height();
      if (width * height > maxPixels)
        throw new HeifError(
          `the image is ${width}×${height}, over the limit of ${maxPixels} pixels (MAX_IMAGE_PIXELS)`,
        );
      const data = new Uint8ClampedArray(width * height * 4);
      await new Promise<void>((resolve, reject) =>
        primary.display({ data, width, height }, (result) =>
          result ? resolve() : reject(new HeifError('libheif could not decode the image')),
        ),
      );
      return {
        data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        width,
        height,
        channels: 4,
        exif: heifExif(bytes),
      };
    } finally {
      for (const image of images) image.free();
    }
  });
}

/**
 * The EXIF item of a HEIF file (ISO/IEC 23008-12: `meta` → `iinf` names an item of type `Exif`,
 * `iloc` says where its bytes are), as exif-reader takes it ("Exif\0\0" + TIFF); null when absent.
 */
export function heifExif(bytes: Uint8Array): Buffer | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const meta = childBoxes(buf, 0, buf.length).find((b) => b.type === 'meta');
  if (!meta) return null;
  const inner = childBoxes(buf, meta.body + 4, meta.end); // meta is a full box
  const iinf = inner.find((b) => b.type === 'iinf');
  const iloc = inner.find((b) => b.type === 'iloc');
  if (!iinf || !iloc) return null;
  const exifId = exifItemId(buf, iinf);
  if (exifId === null) return null;
  const extent = itemExtent(buf, iloc, exifId);
  if (!extent || extent.offset + extent.length > buf.length || extent.length < 8) return null;
  const item = buf.subarray(extent.offset, extent.offset + extent.length);
  const tiff = item.subarray(4 + item.readUInt32BE(0));
  return tiff.length > 8 ? Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]) : null;
}

interface Box {
  type: string;
  body: number;
  end: number;
}

function childBoxes(buf: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(buf.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) size = end - at;
    if (size < 8 || at + size > end) break;
    boxes.push({ type, body, end: at + size });
    at += size;
  }
  return boxes;
}

function exifItemId(buf: Buffer, iinf: Box): number | null {
  const version = buf[iinf.body] as number;
  const entriesAt = iinf.body + 4 + (version === 0 ? 2 : 4);
  for (const infe of childBoxes(buf, entriesAt, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const v = buf[infe.body] as number;
    if (v < 2) continue;
    const idAt = infe.body + 4;
    const id = v === 2 ? buf.readUInt16BE(idAt) : buf.readUInt32BE(idAt);
    const typeAt = idAt + (v === 2 ? 2 : 4) + 2;
    if (buf.toString('latin1', typeAt, typeAt + 4) === 'Exif') return id;
  }
  return null;
}

function itemExtent(
  buf: Buffer,
  iloc: Box,
  wanted: number,
): { offset: number; length: number } | null {
  const version = buf[iloc.body] as number;
  let at = iloc.body + 4;
  const sizes = buf.readUInt16BE(at);
  at += 2;
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 0xf;
  const baseOffsetSize = (sizes >> 4) & 0xf;
  const indexSize = version === 1 || version === 2 ? sizes & 0xf : 0;
  const read = (bytes: number) => {
    const value =
      bytes === 0
        ? 0
        : bytes === 4
          ? buf.readUInt32BE(at)
          : bytes === 8
            ? Number(buf.readBigUInt64BE(at))
            : bytes === 2
              ? buf.readUInt16BE(at)
              : Number.NaN;
    at += bytes;
    return value;
  };
  const count = version < 2 ? read(2) : read(4);
  for (let i = 0; i < count && at < iloc.end; i++) {
    const id = version < 2 ? read(2) : read(4);
    const constructionMethod = version === 1 || version === 2 ? read(2) & 0xf : 0;
    read(2); // data_reference_index
    const base = read(baseOffsetSize);
    const extents = read(2);
    let first: { offset: number; length: number } | null = null;
    for (let e = 0; e < extents; e++) {
      if (indexSize > 0) read(indexSize);
      const offset = read(offsetSize);
      const length = read(lengthSize);
      first ??= { offset: base + offset, length };
    }
    // Only items stored in the file itself (construction method 0) are read.
    if (id === wanted) return constructionMethod === 0 && extents === 1 ? first : null;
  }
  return null;
}

/**
 * What sharp reads a photo from: the file itself, or for HEIC/HEIF its pixels decoded here (raw
 * RGBA, already upright) — so previews, depth and probing treat every format the same way.
 */
export async function sharpSource(
  file: string,
  mimeType: string,
  maxPixels: number,
): Promise<{
  input: string | Buffer;
  raw?: { width: number; height: number; channels: 4 };
  exif?: Buffer;
}> {
  if (!HEIF_TYPES.has(mimeType)) return { input: file };
  const pixels = await decodeHeif(file, maxPixels);
  return {
    input: pixels.data,
    raw: { width: pixels.width, height: pixels.height, channels: 4 },
    ...(pixels.exif ? { exif: pixels.exif } : {}),
  };
}
