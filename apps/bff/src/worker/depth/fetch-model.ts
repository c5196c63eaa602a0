import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Depth Anything V2 Small as ONNX (Apache-2.0), from the onnx-community conversion on Hugging Face. */
export const DEPTH_ANYTHING_V2_SMALL_URL =
  'https://huggingface.co/onnx-community/depth-anything-v2-small/resolve/main/onnx/model.onnx';

export class ModelFetchError extends Error {
  override name = 'ModelFetchError';
}

/**
 * Downloads a model file to `target` (via a partial file renamed at the end, so a broken download
 * never looks like a model). Progress is reported in bytes.
 */
export async function fetchModel(
  url: string,
  target: string,
  onProgress?: (received: number, total: number | null) => void,
): Promise<number> {
  const partial = `${target}.partial`;
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ModelFetchError(
      `could not reach ${new URL(url).host} (${cause?.code ?? cause?.message ?? (error as Error).message}). ` +
        'Without internet access, download the file on another machine and set DEPTH_MODEL_PATH to it.',
    );
  }
  if (!response.ok || !response.body)
    throw new ModelFetchError(`${new URL(url).host} answered HTTP ${response.status} for ${url}`);
  const total = Number(response.headers.get('content-length')) || null;
  await mkdir(path.dirname(target), { recursive: true });
  let received = 0;
  try {
    await pipeline(
      Readable.fromWeb(response.body as never),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          onProgress?.(received, total);
          done(null, chunk);
        },
      }),
      createWriteStream(partial),
    );
    if (total !== null && received !== total)
      throw new ModelFetchError(`the download stopped at ${received} of ${total} bytes`);
    await rename(partial, target);
    return received;
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof ModelFetchError) throw error;
    throw new ModelFetchError(`the download failed: ${(error as Error).message}`);
  }
}
