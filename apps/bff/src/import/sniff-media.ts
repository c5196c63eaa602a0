import type { MediaType } from '@immichvr/shared';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';

/** Photo and video containers the library accepts, decided by content, never by extension. */
const SUPPORTED: Record<string, MediaType> = {
  'image/jpeg': 'photo',
  'image/png': 'photo',
  'image/webp': 'photo',
  'image/gif': 'photo',
  'image/tiff': 'photo',
  'image/avif': 'photo',
  'image/heic': 'photo',
  'image/heif': 'photo',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/webm': 'video',
  'video/x-matroska': 'video',
  'video/x-m4v': 'video',
  'video/3gpp': 'video',
};

export type SniffResult =
  | { ok: true; mimeType: string; mediaType: MediaType }
  | { ok: false; reason: string };

/** `source`: the file, or its content when already read. */
export async function sniffMedia(source: string | Uint8Array): Promise<SniffResult> {
  const type =
    typeof source === 'string' ? await fileTypeFromFile(source) : await fileTypeFromBuffer(source);
  if (!type) return { ok: false, reason: 'not a recognised image or video' };
  const mediaType = SUPPORTED[type.mime];
  if (!mediaType) return { ok: false, reason: `unsupported type ${type.mime}` };
  return { ok: true, mimeType: type.mime, mediaType };
}
