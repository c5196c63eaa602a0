import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type AlbumResponseDto,
  type AssetStatsResponseDto,
  AssetVisibility,
  getAllAlbums,
  getAllPeople,
  getAssetStatistics,
  isHttpError,
  type MetadataSearchDto,
  type PersonResponseDto,
  type SearchAssetResponseDto,
  searchAssets,
} from '@immich/sdk';

const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'ENOENT', 'EIO']);

/** Immich refused the API key: nothing to retry until it is changed. */
export class ImmichAuthError extends Error {
  override name = 'ImmichAuthError';
}

/** Immich could not be reached, timed out or answered 5xx: try again later. */
export class ImmichUnavailableError extends Error {
  override name = 'ImmichUnavailableError';
}

/** Immich answered something this app cannot use (4xx other than auth, a malformed answer). */
export class ImmichResponseError extends Error {
  override name = 'ImmichResponseError';
}

export interface ImmichClientConfig {
  /** The server's API base, e.g. http://immich:2283/api (`/api` is added when missing). */
  url: string;
  apiKey: string;
  /** Per request (a page of 1000 assets with EXIF can take seconds on a busy server). */
  timeoutMs?: number;
}

/** `http://host:2283`, `http://host:2283/`, `http://host:2283/api/` → `http://host:2283/api`. */
export function immichApiBase(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  return /\/api$/.test(trimmed) ? trimmed : `${trimmed}/api`;
}

/**
 * The few read-only calls a sync needs, through @immich/sdk with the key as `x-api-key` on every
 * request (no global `init`: several clients may live in one process, e.g. tests). Failures come
 * out as one of three errors above, worded for the person running the app.
 */
export class ImmichClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: ImmichClientConfig) {
    this.baseUrl = immichApiBase(config.url);
    this.timeoutMs = config.timeoutMs ?? 60_000;
  }

  searchAssets(dto: MetadataSearchDto): Promise<SearchAssetResponseDto> {
    return this.call('search assets', async (opts) => {
      const { assets } = await searchAssets({ metadataSearchDto: dto }, opts);
      if (!assets || !Array.isArray(assets.items))
        throw new ImmichResponseError('Immich answered a search without assets.items');
      return assets;
    });
  }

  /** Photos and videos in the timeline (not archived, not in the trash). */
  timelineStatistics(): Promise<AssetStatsResponseDto> {
    return this.call('read asset statistics', (opts) =>
      getAssetStatistics({ visibility: AssetVisibility.Timeline, isTrashed: false }, opts),
    );
  }

  albums(): Promise<AlbumResponseDto[]> {
    return this.call('list albums', (opts) => getAllAlbums({}, opts));
  }

  /** Every person Immich shows (hidden ones left out), all pages. */
  async people(): Promise<PersonResponseDto[]> {
    const people: PersonResponseDto[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.call('list people', (opts) =>
        getAllPeople({ page, size: 500, withHidden: false }, opts),
      );
      people.push(...answer.people);
      if (!answer.hasNextPage || answer.people.length === 0) return people;
    }
  }

  /**
   * Streams an asset's original (`original`) or Immich's own JPEG preview (`preview`) to `file`.
   * The SDK's `downloadAsset` and `viewAsset` would hold the whole body in memory as a Blob: a
   * 2 GB video must not, so this one request is made with fetch and streamed to disk.
   */
  async download(assetId: string, kind: 'original' | 'preview', file: string): Promise<number> {
    const url =
      kind === 'original'
        ? `${this.baseUrl}/assets/${encodeURIComponent(assetId)}/original`
        : `${this.baseUrl}/assets/${encodeURIComponent(assetId)}/thumbnail?size=preview`;
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(), this.timeoutMs);
    const what = `download the ${kind} of asset ${assetId}`;
    try {
      const response = await fetch(url, {
        headers: { 'x-api-key': this.config.apiKey },
        signal: idle.signal,
      }).catch((error: Error) => {
        throw this.unreachable(what, error);
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw this.statusError(what, response.status);
      }
      let bytes = 0;
      const counted = Readable.fromWeb(response.body as never).on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), this.timeoutMs);
      });
      await pipeline(counted, createWriteStream(file)).catch((error: NodeJS.ErrnoException) => {
        // The disk's own errors are the disk's; anything else cut the download short.
        throw DISK_ERRORS.has(error.code ?? '') ? error : this.unreachable(what, error);
      });
      return bytes;
    } finally {
      clearTimeout(timer);
    }
  }

  private async call<T>(
    what: string,
    fn: (opts: {
      baseUrl: string;
      headers: Record<string, string>;
      signal: AbortSignal;
    }) => Promise<T>,
  ): Promise<T> {
    try {
      return await fn({
        baseUrl: this.baseUrl,
        headers: { 'x-api-key': this.config.apiKey },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      if (
        error instanceof ImmichAuthError ||
        error instanceof ImmichUnavailableError ||
        error instanceof ImmichResponseError
      )
        throw error;
      if (isHttpError(error)) throw this.statusError(what, error.status, error.data?.message);
      const e = error as Error;
      if (e.name === 'MalformedResponseError' || e instanceof SyntaxError)
        throw new ImmichResponseError(
          `Immich at ${this.baseUrl} answered "${what}" with something that is not its API (${e.message}); is IMMICH_URL the Immich server?`,
        );
      throw this.unreachable(what, e);
    }
  }

  private statusError(what: string, status: number, message?: unknown): Error {
    const detail = typeof message === 'string' ? `: ${message}` : '';
    if (status === 401 || status === 403)
      return new ImmichAuthError(
        `Immich at ${this.baseUrl} refused the API key (HTTP ${status}${detail}). Create a key in Immich (Account Settings → API Keys) and set IMMICH_API_KEY.`,
      );
    if (status >= 500 || status === 429)
      return new ImmichUnavailableError(
        `Immich at ${this.baseUrl} could not ${what} (HTTP ${status}${detail}); will try again later`,
      );
    return new ImmichResponseError(
      `Immich at ${this.baseUrl} answered HTTP ${status} to "${what}"${detail}`,
    );
  }

  private unreachable(what: string, error: Error): ImmichUnavailableError {
    const cause = (error.cause as Error | undefined)?.message ?? error.message;
    const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
    return new ImmichUnavailableError(
      timedOut
        ? `Immich at ${this.baseUrl} did not answer "${what}" within ${this.timeoutMs / 1000} s; will try again later`
        : `Immich at ${this.baseUrl} could not be reached to ${what} (${cause}); will try again later`,
    );
  }
}
