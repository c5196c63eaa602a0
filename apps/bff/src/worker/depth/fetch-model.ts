import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

/** A model file we know: where it comes from and what its bytes must hash to. */
export interface PinnedModel {
  /** Shown to users. */
  name: string;
  license: string;
  url: string;
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  /** The file's size when known (for progress before the server says). */
  bytes?: number;
}

/**
 * Depth Anything V2 Small as ONNX (Apache-2.0), from the onnx-community conversion on Hugging Face,
 * pinned to one revision of the repository and to the SHA-256 of its fp32 model.onnx (the
 * Hugging Face LFS hash of that revision), so a changed or corrupted file is never loaded.
 */
export const DEPTH_ANYTHING_V2_SMALL: PinnedModel = {
  name: 'Depth Anything V2 Small',
  license: 'Apache-2.0',
  url: 'https://huggingface.co/onnx-community/depth-anything-v2-small/resolve/4472b7362082ad9968fee890ca0f1e5aca36b93d/onnx/model.onnx',
  sha256: 'afb6a5c28f3b6bf1618c6e43f02073ef9dfdc70e937502d51603e57b0a1df10c',
  bytes: 99_060_839,
};

export class ModelFetchError extends Error {
  override name = 'ModelFetchError';
  constructor(
    message: string,
    /** True when running again continues from what was received (the partial file is kept). */
    readonly resumable = false,
  ) {
    super(message);
  }
}

export interface FetchModelOptions {
  /** Called as bytes arrive; `received` counts bytes kept from an earlier attempt too. */
  onProgress?: (received: number, total: number | null) => void;
  /** Gives up when the server sends nothing for this long (default 30 s); the partial file stays. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** The partial download beside `target`, kept across interruptions so the next attempt resumes. */
export const partialFileOf = (target: string) => `${target}.partial`;

/**
 * Downloads a pinned model file to `target`. Bytes go to a partial file which an interrupted
 * download leaves behind; the next call asks the server for the rest (HTTP Range) and hashes what is
 * already there before appending. Only a file whose SHA-256 matches the pin is renamed to `target`;
 * anything else is removed and refused. Returns the file's size.
 */
export async function fetchModel(
  model: PinnedModel,
  target: string,
  options: FetchModelOptions = {},
): Promise<number> {
  const partial = partialFileOf(target);
  const host = new URL(model.url).host;
  await mkdir(path.dirname(target), { recursive: true });
  const hash = createHash('sha256');
  const kept = await hashExisting(partial, hash);

  const idle = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), idleTimeoutMs);
  };
  armIdleTimer();

  try {
    let response: Response;
    try {
      response = await fetch(model.url, {
        redirect: 'follow',
        signal,
        headers: kept > 0 ? { range: `bytes=${kept}-` } : {},
      });
    } catch (error) {
      throw failure(error, idle.signal, host, kept, idleTimeoutMs, 'connect');
    }
    if (response.status === 416 && kept > 0) {
      // Everything was already here: the server has nothing after our last byte.
      await response.body?.cancel();
      return await accept(model, partial, target, hash, kept);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new ModelFetchError(`${host} answered HTTP ${response.status} for ${model.url}`);
    }
    const resumed = response.status === 206 && kept > 0 && rangeStart(response) === kept;
    let received = resumed ? kept : 0;
    const hashing = resumed ? hash : createHash('sha256');
    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? received + length : (model.bytes ?? null);
    options.onProgress?.(received, total);
    // Each chunk is on disk before the next is read, so an interruption keeps all that arrived.
    const out = await open(partial, resumed ? 'a' : 'w');
    try {
      for await (const chunk of Readable.fromWeb(response.body as never, { signal })) {
        armIdleTimer();
        await out.write(chunk as Buffer);
        received += (chunk as Buffer).length;
        hashing.update(chunk as Buffer);
        options.onProgress?.(received, total);
      }
    } catch (error) {
      throw failure(error, idle.signal, host, received, idleTimeoutMs, 'transfer');
    } finally {
      await out.close();
    }
    if (total !== null && Number.isFinite(length) && length > 0 && received < total)
      throw new ModelFetchError(
        `the download stopped at ${mb(received)} of ${mb(total)}; run it again to continue`,
        true,
      );
    return await accept(model, partial, target, hashing, received);
  } finally {
    clearTimeout(timer);
  }
}

/** Renames the partial file into place when its hash matches the pin; removes it otherwise. */
async function accept(
  model: PinnedModel,
  partial: string,
  target: string,
  hash: Hash,
  size: number,
): Promise<number> {
  const actual = hash.digest('hex');
  if (actual !== model.sha256.toLowerCase()) {
    await rm(partial, { force: true });
    throw new ModelFetchError(
      `the downloaded file (${mb(size)}) is not ${model.name}: its SHA-256 is ${actual}, ` +
        `expected ${model.sha256}. It was removed.`,
    );
  }
  await rename(partial, target);
  return size;
}

/** Feeds an earlier attempt's bytes to the hash; 0 when there is none. */
async function hashExisting(file: string, hash: Hash): Promise<number> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) return 0;
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return size;
}

function rangeStart(response: Response): number | null {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : null;
}

function failure(
  error: unknown,
  idle: AbortSignal,
  host: string,
  received: number,
  idleTimeoutMs: number,
  stage: 'connect' | 'transfer',
): ModelFetchError {
  if (error instanceof ModelFetchError) return error;
  const kept = received > 0 ? ` ${mb(received)} are kept; run it again to continue.` : '';
  if (idle.aborted)
    return new ModelFetchError(
      `${host} sent nothing for ${Math.round(idleTimeoutMs / 1000)} s.${kept}`,
      received > 0,
    );
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  if (stage === 'connect')
    return new ModelFetchError(
      `could not reach ${host} (${reason}). Without internet access, download the file on ` +
        'another machine and set DEPTH_MODEL_PATH to it.',
    );
  return new ModelFetchError(`the download from ${host} broke off (${reason}).${kept}`, true);
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/**
 * The model the app offers: Depth Anything V2 Small, from a mirror when DEPTH_MODEL_URL says so
 * (same pin), or another file entirely when DEPTH_MODEL_SHA256 pins that too.
 */
export function offeredModel(config: {
  depthModelUrl?: string | undefined;
  depthModelSha256?: string | undefined;
}): PinnedModel {
  const { bytes: _pinnedSize, ...model } = DEPTH_ANYTHING_V2_SMALL;
  return {
    ...(config.depthModelSha256 ? model : DEPTH_ANYTHING_V2_SMALL),
    ...(config.depthModelUrl ? { url: config.depthModelUrl } : {}),
    ...(config.depthModelSha256 ? { sha256: config.depthModelSha256 } : {}),
  };
}
