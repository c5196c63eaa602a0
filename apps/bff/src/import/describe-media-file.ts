import { open } from 'node:fs/promises';
import path from 'node:path';
import type { NewMediaItem } from '../db/queries/ingest.queries';
import { sha256File, sha256Of } from './hash-file';
import { DEFAULT_MAX_IMAGE_PIXELS, tooManyPixels } from './image-limits';
import { probePhoto } from './probe-photo';
import { probeVideo } from './probe-video';
import { sniffMedia } from './sniff-media';

export interface DescribeOptions {
  ffprobePath: string;
  /** Name shown to the user; defaults to the file's own. */
  originalFilename?: string;
  /** SHA-256 when already known (uploads hash while streaming). */
  checksum?: string;
  /** Capture date when the file has none; defaults to the file's modification time. */
  fallbackCapturedAt?: Date | null;
  /** Photos larger than this are refused (see image-limits.ts). */
  maxPixels?: number;
}

/**
 * Files up to this size are read once, whole, and sniffed, hashed and measured from memory (a
 * photo: one open and read instead of three); larger ones (videos) are streamed.
 */
const READ_WHOLE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The file's stat and, up to READ_WHOLE_MAX_BYTES, its bytes: one open, stat, read and close (the
 * size from that stat, so a second stat and readFile's own are not needed).
 */
async function readSmallFile(file: string) {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (info.size > READ_WHOLE_MAX_BYTES) return { info, content: null };
    const content = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < content.length) {
      const { bytesRead } = await handle.read(content, filled, content.length - filled, filled);
      if (bytesRead === 0) break; // shrank while being read: described as read
      filled += bytesRead;
    }
    return { info, content: filled === content.length ? content : content.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}

/**
 * A media file as a library row: type by content, size as displayed, capture date, video timing.
 * Files that cannot be in the library give a reason instead.
 */
export async function describeMediaFile(
  file: string,
  options: DescribeOptions,
): Promise<NewMediaItem | { reason: string; tooLarge?: true }> {
  try {
    const { info, content } = await readSmallFile(file);
    const sniffed = await sniffMedia(content ?? file);
    if (!sniffed.ok) return { reason: sniffed.reason };
    const checksum = options.checksum ?? (content ? sha256Of(content) : await sha256File(file));
    const facts =
      sniffed.mediaType === 'photo'
        ? {
            ...(await probePhoto(content ?? file, sniffed.mimeType)),
            durationSeconds: null,
            framesPerSecond: null,
          }
        : await probeVideo(file, options.ffprobePath);
    const tooLarge =
      sniffed.mediaType === 'photo'
        ? tooManyPixels(facts.width, facts.height, options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS)
        : null;
    if (tooLarge) return { reason: tooLarge, tooLarge: true };
    return {
      originalFilename: options.originalFilename ?? path.basename(file),
      mediaType: sniffed.mediaType,
      filePath: file,
      // What was hashed: a file still being written is described as it was read.
      fileSize: content?.length ?? info.size,
      mimeType: sniffed.mimeType,
      width: facts.width,
      height: facts.height,
      durationSeconds: facts.durationSeconds,
      frameRate: facts.framesPerSecond,
      checksum,
      capturedAt:
        facts.capturedAt ??
        (options.fallbackCapturedAt === undefined ? info.mtime : options.fallbackCapturedAt),
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM')
      return { reason: 'not readable (permission denied)' };
    if (code === 'ENOENT') return { reason: 'disappeared while importing' };
    return { reason: (error as Error).message.replaceAll(file, path.basename(file)) };
  }
}
