import sharp, { type OutputInfo } from 'sharp';
import type { DepthEstimator, DisparityMap, RgbImage } from './estimator';
import { fetchRemote, withRetries } from './remote-call';

export interface HttpEstimatorOptions {
  url: string;
  timeoutMs: number;
  /** Further tries after a network error, timeout or 5xx. */
  retries: number;
}

/**
 * Depth from a remote service (e.g. a GPU machine): POSTs the upright image as JPEG, expects a
 * grey PNG of disparity back (16-bit preferred; near = high), any size of the same aspect.
 */
export class HttpEstimator implements DepthEstimator {
  readonly modelName: string;
  readonly modelVersion = 'remote';

  constructor(private readonly options: HttpEstimatorOptions) {
    this.modelName = `remote:${new URL(options.url).host}`;
  }

  describe(): Record<string, unknown> {
    return { service: new URL(this.options.url).origin + new URL(this.options.url).pathname };
  }

  async estimate(image: RgbImage, signal: AbortSignal): Promise<DisparityMap> {
    const body = await sharp(image.data, {
      raw: { width: image.width, height: image.height, channels: 3 },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    return withRetries(
      () => this.once(body, signal),
      this.options.retries,
      signal,
      'depth service',
    );
  }

  private async once(body: Buffer, signal: AbortSignal): Promise<DisparityMap> {
    const { response, bytes } = await fetchRemote(
      this.options.url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'image/jpeg', Accept: 'image/png' },
        body: new Uint8Array(body),
      },
      this.options.timeoutMs,
      signal,
    );
    if (!response.ok)
      throw new Error(
        `depth service refused the image: HTTP ${response.status} ${bytes.toString('utf8', 0, 200)}`,
      );
    let decoded: { data: Buffer; info: OutputInfo };
    try {
      decoded = await sharp(bytes)
        .extractChannel(0)
        .toColourspace('grey16')
        .raw({ depth: 'ushort' })
        .toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw new Error(
        `depth service answered something that is not an image: ${(error as Error).message}`,
      );
    }
    const samples = new Uint16Array(
      decoded.data.buffer,
      decoded.data.byteOffset,
      decoded.data.length / 2,
    );
    return {
      data: Float32Array.from(samples, (v) => v / 65535),
      width: decoded.info.width,
      height: decoded.info.height,
    };
  }
}
