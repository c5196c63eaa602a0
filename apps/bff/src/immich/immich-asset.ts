import path from 'node:path';
import {
  type AssetResponseDto,
  AssetTypeEnum,
  AssetVisibility,
  type PersonResponseDto,
} from '@immich/sdk';
import type { NewMediaItem } from '../db/queries/ingest.queries';

/** Where an Immich source's files are: mounted here (IMMICH_MEDIA_PATH) or fetched into a cache. */
export interface ImmichFilePlaces {
  sourceId: string;
  /** DATA_DIR/sources/<source id>: fetched originals and previews live under it. */
  cacheDir: string;
  /** Immich's own path prefix (as in `originalPath`) and the local folder it is mounted at. */
  mount?: { immichPrefix: string; localPath: string } | undefined;
}

export type AssetVerdict =
  | { kind: 'keep'; item: NewMediaItem; personIds: string[] }
  /** In the library before, gone from the timeline now (trash, archive, locked folder). */
  | { kind: 'leave'; reason: string }
  /** Not something the gallery shows (audio, a live photo's motion part). */
  | { kind: 'skip'; reason: string };

/** Immich checksums are SHA-1 (base64); ours SHA-256 (hex). Kept apart by a prefix. */
export const IMMICH_CHECKSUM_PREFIX = 'immich-sha1:';

const EXTENSION_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.dng': 'image/x-adobe-dng',
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.3gp': 'video/3gpp',
};

/** Decides what an asset from a search page means for the gallery, and the row it becomes. */
export function classifyAsset(asset: AssetResponseDto, places: ImmichFilePlaces): AssetVerdict {
  if (asset.type !== AssetTypeEnum.Image && asset.type !== AssetTypeEnum.Video)
    return { kind: 'skip', reason: `${asset.type.toLowerCase()} assets are not shown` };
  if (asset.isTrashed) return { kind: 'leave', reason: 'in the trash' };
  if (asset.visibility === AssetVisibility.Hidden)
    return { kind: 'skip', reason: 'the motion part of a live photo' };
  if (asset.visibility === AssetVisibility.Archive || asset.isArchived)
    return { kind: 'leave', reason: 'archived' };
  if (asset.visibility === AssetVisibility.Locked) return { kind: 'leave', reason: 'locked' };

  const extension = path.extname(asset.originalFileName || asset.originalPath).toLowerCase();
  const video = asset.type === AssetTypeEnum.Video;
  const mimeType =
    asset.originalMimeType ||
    EXTENSION_TYPES[extension] ||
    (video ? 'video/mp4' : 'application/octet-stream');
  const { width, height } = uprightSize(asset);
  return {
    kind: 'keep',
    item: {
      originalFilename: [...(asset.originalFileName || `${asset.id}${extension}`)]
        .slice(0, 255)
        .join(''),
      mediaType: video ? 'video' : 'photo',
      filePath: localFile(asset, places, extension),
      fileSize: asset.exifInfo?.fileSizeInByte ?? 0,
      mimeType,
      width,
      height,
      durationSeconds: video && asset.duration ? asset.duration / 1000 : null,
      frameRate: null,
      checksum: `${IMMICH_CHECKSUM_PREFIX}${asset.checksum}`,
      capturedAt: capturedAt(asset),
      sourceId: places.sourceId,
      externalId: asset.id,
      isFavorite: asset.isFavorite,
    },
    personIds: (asset.people ?? []).filter(isShownPerson).map((p) => p.id),
  };
}

/** People worth a filter: named and not hidden (Immich's own people page shows the same). */
export function isShownPerson(person: PersonResponseDto): boolean {
  return !person.isHidden && person.name.trim() !== '';
}

/** The mounted file when the library is mounted here, else where the fetched copy will be. */
export function localFile(
  asset: Pick<AssetResponseDto, 'id' | 'originalPath'>,
  places: ImmichFilePlaces,
  extension = path.extname(asset.originalPath).toLowerCase(),
): string {
  const { mount } = places;
  if (mount) {
    const prefix = mount.immichPrefix.replace(/\/+$/, '');
    if (asset.originalPath.startsWith(`${prefix}/`)) {
      const relative = asset.originalPath.slice(prefix.length + 1);
      const local = path.resolve(mount.localPath, relative);
      // A path that climbs out of the mount (`..`) is not taken from a server's answer.
      if (local.startsWith(`${path.resolve(mount.localPath)}/`)) return local;
    }
  }
  return cachedFile(places.cacheDir, 'originals', asset.id, extension);
}

/** DATA_DIR/sources/<source>/<originals|previews>/<2 hex>/<asset id><ext>. */
export function cachedFile(cacheDir: string, kind: string, assetId: string, extension: string) {
  const safeId = assetId.replace(/[^\w-]/g, '_');
  const safeExt = /^\.[\w]{1,8}$/.test(extension) ? extension : '';
  return path.join(cacheDir, kind, safeId.slice(0, 2), `${safeId}${safeExt}`);
}

/** Capture time: the EXIF original date, else Immich's file creation time. */
function capturedAt(asset: AssetResponseDto): Date | null {
  for (const value of [asset.exifInfo?.dateTimeOriginal, asset.fileCreatedAt]) {
    if (!value) continue;
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return null;
}

/** Width and height as shown: Immich's own (upright) when it has them, else EXIF's, turned. */
function uprightSize(asset: AssetResponseDto): { width: number | null; height: number | null } {
  if (asset.width && asset.height) return { width: asset.width, height: asset.height };
  const w = asset.exifInfo?.exifImageWidth || null;
  const h = asset.exifInfo?.exifImageHeight || null;
  const turned = ['5', '6', '7', '8'].includes(String(asset.exifInfo?.orientation ?? ''));
  return turned ? { width: h, height: w } : { width: w, height: h };
}
