import type { MediaType, PreviewSize } from '@immichvr/shared';
import sharp from 'sharp';
import { UnprocessableError, UnsupportedMediaTypeError } from '../errors';
import { sharpSource } from '../import/heif';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../import/image-limits';
import { isFile } from '../util/is-file';
import type { DataLayout } from './data-layout';
import { FileMakings, writeAtomically } from './file-makings';
import { storageProblem } from './storage-errors';
import { extractVideoFrame, VideoFrameError } from './video-frame';

/** JPEG quality per preview size: thumbnails tolerate more compression than the viewer image. */
const JPEG_QUALITY: Record<PreviewSize, number> = { 256: 78, 2048: 85 };

export interface PreviewSource {
  id: string;
  mediaType: MediaType;
  mimeType: string;
  /** Resolved, checked path of the original. */
  file: string;
  durationSeconds: number | null;
}

export interface PreviewCacheOptions {
  ffmpegPath: string;
  /** Previews generated at once (decoding is CPU- and memory-heavy). */
  concurrency: number;
  /** Images larger than this are not decoded (see image-limits.ts). */
  maxPixels?: number;
}

/**
 * Downscaled, EXIF-oriented JPEG previews, made on first request (FileMakings) and kept in
 * DATA_DIR/previews.
 */
export class PreviewCache {
  private readonly makings: FileMakings;

  constructor(
    private readonly layout: DataLayout,
    private readonly options: PreviewCacheOptions,
  ) {
    this.makings = new FileMakings(options.concurrency);
  }

  /** The preview when it was made before (nothing read or fetched for it). */
  async existing(id: string, size: PreviewSize): Promise<string | null> {
    const target = this.layout.previewFile(id, size);
    return (await isFile(target)) ? target : null;
  }

  /** The cached preview file, generating it first when needed. */
  get(source: PreviewSource, size: PreviewSize): Promise<string> {
    const target = this.layout.previewFile(source.id, size);
    return this.makings.get(target, () => this.generate(source, size, target));
  }

  private async generate(source: PreviewSource, size: PreviewSize, target: string): Promise<void> {
    // A small preview comes from the large one when that exists: a fraction of the decode work.
    const larger = this.layout.previewFile(source.id, 2048);
    const input =
      size < 2048 && (await isFile(larger))
        ? larger
        : source.mediaType === 'video'
          ? await extractVideoFrame(
              this.options.ffmpegPath,
              source.file,
              source.durationSeconds,
            ).catch((error: Error) => {
              throw error instanceof VideoFrameError
                ? new UnprocessableError(error.message)
                : error;
            })
          : source.file;
    const maxPixels = this.options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS;
    try {
      // HEIC/HEIF is decoded first (libheif in WebAssembly); everything else sharp reads itself.
      const from =
        input === source.file
          ? await sharpSource(source.file, source.mimeType, maxPixels)
          : { input };
      await writeAtomically(this.layout.tmp, target, (partial) =>
        sharp(from.input, {
          failOn: 'error',
          limitInputPixels: maxPixels,
          ...(from.raw ? { raw: from.raw } : {}),
        })
          .autoOrient()
          .resize(size, size, { fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: JPEG_QUALITY[size] })
          .toFile(partial),
      );
    } catch (error) {
      const storage = storageProblem(error);
      if (storage) throw storage;
      const message = (error as Error).message.replaceAll(source.file, 'the original');
      if (
        /unsupported image format|no decoding plugin|bad seek|not a known file format/i.test(
          message,
        )
      )
        throw new UnsupportedMediaTypeError(`the original's format cannot be decoded here`);
      throw new UnprocessableError(`the original could not be decoded: ${message}`);
    }
  }
}
