import type { PreviewSize } from '@immichvr/shared';
import type { MediaSourceRow } from '../db/queries/library.queries';
import type { FileLocator } from '../storage/file-locator';
import type { PreviewCache } from '../storage/preview-cache';

export interface PreviewDeps {
  files: FileLocator;
  previews: PreviewCache;
}

/**
 * An item's preview of `size`, made first when it was not: from the original, or for an Immich
 * item not on this machine from Immich's preview (never its whole original).
 */
export async function previewOf(
  { files, previews }: PreviewDeps,
  id: string,
  size: PreviewSize,
): Promise<{ file: string; row: MediaSourceRow }> {
  const described = await files.describe(id);
  const made = await previews.existing(id, size);
  if (made) return { file: made, row: described };
  const { file, row, still } = await files.pictureSource(id);
  const preview = await previews.get(
    {
      id,
      mediaType: still ? 'photo' : row.media_type,
      mimeType: still ? 'image/jpeg' : row.mime_type,
      file,
      durationSeconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
    },
    size,
  );
  return { file: preview, row };
}
