import { type AssetResponseDto, AssetTypeEnum, AssetVisibility } from '@immich/sdk';
import { describe, expect, it } from 'vitest';
import { classifyAsset, IMMICH_CHECKSUM_PREFIX, localFile } from './immich-asset';

const places = { sourceId: 'source-1', cacheDir: '/data/sources/source-1' };
const asset = (change: Partial<AssetResponseDto> = {}): AssetResponseDto => ({
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  checksum: 'qUqP5cyxm6YcTAhz05Hph5gvu9M=',
  createdAt: '2024-05-01T10:00:00.000Z',
  duration: null,
  fileCreatedAt: '2024-05-01T09:00:00.000Z',
  fileModifiedAt: '2024-05-01T09:00:00.000Z',
  hasMetadata: true,
  height: null,
  width: null,
  isArchived: false,
  isEdited: false,
  isFavorite: false,
  isOffline: false,
  isTrashed: false,
  localDateTime: '2024-05-01T11:00:00.000Z',
  originalFileName: 'IMG_0001.HEIC',
  originalPath: '/data/library/admin/2024/IMG_0001.HEIC',
  ownerId: 'me',
  thumbhash: null,
  type: AssetTypeEnum.Image,
  updatedAt: '2024-05-02T00:00:00.000Z',
  visibility: AssetVisibility.Timeline,
  ...change,
});

describe('an Immich asset in the gallery', () => {
  it('becomes a row keyed by its asset id, with the EXIF date, upright size and a typed checksum', () => {
    const verdict = classifyAsset(
      asset({
        exifInfo: {
          dateTimeOriginal: '2024-04-30T18:30:00.000Z',
          exifImageWidth: 4032,
          exifImageHeight: 3024,
          orientation: '6',
          fileSizeInByte: 2_345_678,
        },
        isFavorite: true,
      }),
      places,
    );
    expect(verdict).toMatchObject({
      kind: 'keep',
      item: {
        externalId: 'a1b2c3d4-0000-4000-8000-000000000001',
        sourceId: 'source-1',
        capturedAt: new Date('2024-04-30T18:30:00.000Z'),
        width: 3024,
        height: 4032,
        mimeType: 'image/heic',
        fileSize: 2_345_678,
        checksum: `${IMMICH_CHECKSUM_PREFIX}qUqP5cyxm6YcTAhz05Hph5gvu9M=`,
        isFavorite: true,
        filePath: '/data/sources/source-1/originals/a1/a1b2c3d4-0000-4000-8000-000000000001.heic',
      },
    });
  });

  it('takes a video’s duration (milliseconds in Immich) and falls back to the file date', () => {
    const verdict = classifyAsset(
      asset({
        type: AssetTypeEnum.Video,
        duration: 12_345,
        originalFileName: 'clip.MOV',
        width: 1920,
        height: 1080,
      }),
      places,
    );
    expect(verdict).toMatchObject({
      kind: 'keep',
      item: {
        mediaType: 'video',
        durationSeconds: 12.345,
        mimeType: 'video/quicktime',
        width: 1920,
        capturedAt: new Date('2024-05-01T09:00:00.000Z'),
      },
    });
  });

  it('leaves the trash, the archive and the locked folder; skips audio and motion parts', () => {
    expect(classifyAsset(asset({ isTrashed: true }), places)).toEqual({
      kind: 'leave',
      reason: 'in the trash',
    });
    expect(classifyAsset(asset({ visibility: AssetVisibility.Archive }), places).kind).toBe(
      'leave',
    );
    expect(classifyAsset(asset({ visibility: AssetVisibility.Locked }), places).kind).toBe('leave');
    expect(classifyAsset(asset({ visibility: AssetVisibility.Hidden }), places).kind).toBe('skip');
    expect(classifyAsset(asset({ type: AssetTypeEnum.Audio }), places)).toEqual({
      kind: 'skip',
      reason: 'audio assets are not shown',
    });
  });

  it('maps a mounted library’s paths, and never out of the mount', () => {
    const mounted = { ...places, mount: { immichPrefix: '/data', localPath: '/mnt/immich' } };
    expect(localFile(asset(), mounted)).toBe('/mnt/immich/library/admin/2024/IMG_0001.HEIC');
    expect(localFile(asset({ originalPath: '/data/../etc/shadow' }), mounted)).toMatch(
      /^\/data\/sources\/source-1\/originals\//,
    );
    expect(localFile(asset({ originalPath: '/external/photos/a.jpg' }), mounted)).toMatch(
      /^\/data\/sources\/source-1\/originals\//,
    );
    expect(localFile(asset({ id: '../../x', originalPath: '/elsewhere/a.jpg' }), places)).toBe(
      '/data/sources/source-1/originals/__/______x.jpg',
    );
  });
});
