import exifReader from 'exif-reader';
import sharp, { type Metadata } from 'sharp';
import { HEIF_TYPES, heifFacts } from './heif';
import { readJpegHeader } from './jpeg-header';

export interface PhotoFacts {
  /** Size as displayed, after EXIF orientation; null when the format cannot be read here. */
  width: number | null;
  height: number | null;
  /** From EXIF DateTimeOriginal (with OffsetTimeOriginal when present), else null. */
  capturedAt: Date | null;
}

/** `source`: the file, or its content when already read. */
export async function probePhoto(source: string | Buffer, mimeType?: string): Promise<PhotoFacts> {
  if (mimeType && HEIF_TYPES.has(mimeType)) {
    // HEIC/HEIF: size and EXIF from the container, no pixels decoded.
    const facts = await heifFacts(source).catch(() => null);
    return {
      width: facts?.width ?? null,
      height: facts?.height ?? null,
      capturedAt: facts?.exif ? exifCaptureDate(facts.exif) : null,
    };
  }
  // A JPEG already in memory: its markers say all of it (libvips is the fallback).
  const jpeg =
    mimeType === 'image/jpeg' && typeof source !== 'string' ? readJpegHeader(source) : null;
  if (jpeg) {
    const tags = jpeg.exif ? exifTags(jpeg.exif) : null;
    const orientation = tags?.Image?.Orientation;
    // EXIF orientations 5–8 turn the picture a quarter: shown, its sides swap.
    const turned = typeof orientation === 'number' && orientation >= 5 && orientation <= 8;
    return {
      width: turned ? jpeg.height : jpeg.width,
      height: turned ? jpeg.width : jpeg.height,
      capturedAt: tags ? captureDateOf(tags) : null,
    };
  }
  let metadata: Metadata;
  try {
    // Only the header is read here, so the size of any image can be learned (and refused) safely.
    metadata = await sharp(source, { limitInputPixels: false }).metadata();
  } catch {
    // A format sharp cannot read: still a photo of the library, just not measurable here.
    return { width: null, height: null, capturedAt: null };
  }
  return {
    width: metadata.autoOrient?.width ?? metadata.width ?? null,
    height: metadata.autoOrient?.height ?? metadata.height ?? null,
    capturedAt: metadata.exif ? exifCaptureDate(metadata.exif) : null,
  };
}

/** The capture date of an EXIF block (see captureDateOf); null when there is none. */
export function exifCaptureDate(exif: Buffer): Date | null {
  const tags = exifTags(exif);
  return tags ? captureDateOf(tags) : null;
}

type ExifTags = ReturnType<typeof exifReader>;

/** The EXIF block's tags; null when it cannot be parsed. */
function exifTags(exif: Buffer): ExifTags | null {
  try {
    return exifReader(exif);
  } catch {
    return null;
  }
}

/**
 * EXIF stores a wall-clock time; exif-reader returns it as if it were UTC. OffsetTimeOriginal, when
 * present, says how far that wall clock was from UTC. Without it the wall-clock time is kept as UTC.
 */
function captureDateOf(tags: ExifTags): Date | null {
  const wallClock =
    tags.Photo?.DateTimeOriginal ?? tags.Photo?.DateTimeDigitized ?? tags.Image?.DateTime;
  if (!(wallClock instanceof Date) || Number.isNaN(wallClock.getTime())) return null;
  const offset = tags.Photo?.OffsetTimeOriginal;
  const match = typeof offset === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(offset) : null;
  if (!match) return wallClock;
  const minutes = (Number(match[2]) * 60 + Number(match[3])) * (match[1] === '-' ? -1 : 1);
  return new Date(wallClock.getTime() - minutes * 60_000);
}

/**
 * The 35 mm-equivalent focal length from EXIF (FocalLengthIn35mmFilm), the field of view a depth
 * photo is unprojected with; null when absent.
 */
export function exifFocalLength35mm(exif: Buffer | undefined): number | null {
  if (!exif) return null;
  try {
    const value = Number(exifReader(exif).Photo?.FocalLengthIn35mmFilm);
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}
