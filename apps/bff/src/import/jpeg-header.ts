/** What a JPEG's markers say before its image data: its stored size and its EXIF block. */
export interface JpegHeader {
  /** As stored, before any EXIF orientation. */
  width: number;
  height: number;
  /** The APP1 EXIF payload, "Exif\0\0" included (as sharp's `metadata().exif` gives it). */
  exif: Buffer | null;
}

const EXIF_SIGNATURE = Buffer.from('Exif\0\0', 'latin1');

/** Start-of-frame markers (SOF0–SOF15) are C0–CF, except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers without a length: TEM and the restart markers RST0–RST7. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/**
 * Walks a JPEG's marker segments up to its first scan, as libjpeg does before decoding, and returns
 * the frame's size and the first EXIF block: what the import needs of a photo, in microseconds
 * instead of a trip through libvips (~0.14 ms a file). Null when the bytes are not a JPEG this walk
 * can read (truncated headers, a height defined later by DNL, no frame before the scan): the caller
 * then asks libvips.
 */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | null {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return null;
  let offset = 2;
  let frame: { width: number; height: number } | null = null;
  let exif: Buffer | null = null;
  while (offset + 1 < data.length) {
    if (data[offset] !== 0xff) return null;
    const marker = data[offset + 1] as number;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (isStandalone(marker)) {
      offset += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // start of scan, or end of image
    if (offset + 4 > data.length) return null;
    const length = data.readUInt16BE(offset + 2);
    const end = offset + 2 + length;
    if (length < 2 || end > data.length) return null;
    const body = data.subarray(offset + 4, end);
    if (isStartOfFrame(marker) && !frame) {
      if (body.length < 6) return null;
      frame = { height: body.readUInt16BE(1), width: body.readUInt16BE(3) };
    } else if (marker === 0xe1 && !exif && body.subarray(0, 6).equals(EXIF_SIGNATURE)) {
      exif = body;
    }
    offset = end;
  }
  if (!frame || frame.width === 0 || frame.height === 0) return null;
  return { ...frame, exif };
}
