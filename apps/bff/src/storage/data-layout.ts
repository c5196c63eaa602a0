import path from 'node:path';

/**
 * Where the BFF writes inside DATA_DIR. Everything here is the app's own; files in imported folders
 * (media roots) are the user's and are never written.
 */
export function dataLayout(dataDir: string) {
  const previews = path.join(dataDir, 'previews');
  const depthMaps = path.join(dataDir, 'depth');
  const previewFolder = (mediaId: string) => path.join(previews, mediaId.slice(0, 2));
  return {
    dataDir,
    /** Uploaded originals: uploads/YYYY/MM/<uuid>.<ext>. */
    uploads: path.join(dataDir, 'uploads'),
    /** Generated previews, fanned out by the first two hex digits of the id. */
    previews,
    /** Generated depth maps: depth/<2 hex>/<media id>-<generation>.png. */
    depthMaps,
    depthMapFile: (mediaId: string, generation: string, extension: 'png' | 'mp4' = 'png') =>
      path.join(depthMaps, mediaId.slice(0, 2), `${mediaId}-${generation}.${extension}`),
    /** Partial files before their atomic rename (same file system as their destination). */
    tmp: path.join(dataDir, 'tmp'),
    /** The folder of an item's previews and coarse depth maps. */
    previewFolder,
    previewFile: (mediaId: string, size: number) =>
      path.join(previewFolder(mediaId), `${mediaId}-${size}.jpg`),
    /** A depth map's coarse version: previews/<2 hex>/<media id>-depth-<depth map id>-<size>.png. */
    coarseDepthFile: (mediaId: string, depthMapId: string, size: number) =>
      path.join(previewFolder(mediaId), `${mediaId}-depth-${depthMapId}-${size}.png`),
  };
}
export type DataLayout = ReturnType<typeof dataLayout>;

/** Whether `file` is inside `folder` (lexically; both absolute). */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
