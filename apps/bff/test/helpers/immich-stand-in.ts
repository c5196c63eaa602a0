import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AlbumResponseDto,
  type AssetResponseDto,
  type AssetStatsResponseDto,
  AssetTypeEnum,
  AssetVisibility,
  type MetadataSearchDto,
  type PeopleResponseDto,
  type PersonResponseDto,
  type SearchResponseDto,
} from '@immich/sdk';

// For specs outside this package (e2e), which do not depend on the SDK themselves.
export { AssetTypeEnum, AssetVisibility } from '@immich/sdk';

/** A file the stand-in serves for an asset: its original and the JPEG Immich would preview. */
export interface StandInFiles {
  original: string;
  preview: string;
}

export interface StandInRequest {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A stand-in Immich server over real HTTP, answering the read-only endpoints a sync uses the way
 * Immich does (POST /api/search/metadata with updatedAfter ≥, withDeleted, withExif, withPeople,
 * albumIds, page/size and nextPage; asset statistics; albums; people; originals and previews;
 * x-api-key). Every answer is typed with @immich/sdk's own DTOs, so it cannot drift from what the
 * SDK sends and expects. Tests change the library between syncs and inject faults.
 */
export class ImmichStandIn {
  readonly apiKey: string;
  readonly assets = new Map<string, AssetResponseDto>();
  readonly albums = new Map<string, { album: AlbumResponseDto; assetIds: Set<string> }>();
  readonly people = new Map<string, PersonResponseDto>();
  readonly files = new Map<string, StandInFiles>();
  readonly requests: StandInRequest[] = [];
  /** Answer `count` requests (of those matching `path`, after letting `skip` through) with this status. */
  fault: { status: number; count: number; path?: RegExp; skip?: number } | null = null;
  /** Wait this long before answering each request. */
  delayMs = 0;
  private clock = Date.parse('2026-01-01T00:00:00.000Z');
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';
  /** Assets newest taken first, kept until the library changes (a 100k-asset bench pages it often). */
  private sorted: AssetResponseDto[] | null = null;

  constructor(options: { apiKey?: string } = {}) {
    this.apiKey = options.apiKey ?? `key-${randomUUID()}`;
  }

  /** Listens on loopback (an ephemeral port unless given). */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Immich's updatedAt: strictly increasing, like a database clock. */
  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  addAsset(
    overrides: Partial<AssetResponseDto> & { files?: StandInFiles; takenAt?: string } = {},
  ): AssetResponseDto {
    const id = overrides.id ?? randomUUID();
    const video = overrides.type === AssetTypeEnum.Video;
    const n = this.assets.size + 1;
    const taken =
      overrides.takenAt ?? new Date(Date.UTC(2024, n % 12, 1 + (n % 27), 12)).toISOString();
    const { files, takenAt: _taken, ...fields } = overrides;
    const asset: AssetResponseDto = {
      id,
      checksum: Buffer.from(id).toString('base64').slice(0, 28),
      createdAt: taken,
      duration: video ? 3000 : null,
      exifInfo: {
        dateTimeOriginal: taken,
        exifImageWidth: 640,
        exifImageHeight: 480,
        fileSizeInByte: 12345,
        orientation: '1',
      },
      fileCreatedAt: taken,
      fileModifiedAt: taken,
      hasMetadata: true,
      height: 480,
      isArchived: false,
      isEdited: false,
      isFavorite: false,
      isOffline: false,
      isTrashed: false,
      livePhotoVideoId: null,
      localDateTime: taken,
      originalFileName: video ? `clip-${n}.mp4` : `photo-${n}.jpg`,
      originalMimeType: video ? 'video/mp4' : 'image/jpeg',
      originalPath: `/data/library/admin/2024/${video ? `clip-${n}.mp4` : `photo-${n}.jpg`}`,
      ownerId: 'owner-1',
      people: [],
      thumbhash: null,
      type: AssetTypeEnum.Image,
      updatedAt: this.tick(),
      visibility: AssetVisibility.Timeline,
      width: 640,
      ...fields,
    };
    this.assets.set(id, asset);
    this.sorted = null;
    if (files) this.files.set(id, files);
    return asset;
  }

  /** Changes an asset as Immich would (its updatedAt moves on). */
  update(id: string, change: Partial<AssetResponseDto>): AssetResponseDto {
    const asset = this.assets.get(id);
    if (!asset) throw new Error(`no asset ${id}`);
    Object.assign(asset, change, { updatedAt: this.tick() });
    this.sorted = null;
    return asset;
  }

  trash(id: string): void {
    this.update(id, { isTrashed: true });
  }

  /** Everything deleted for good (a test leaving the library as it found it). */
  clear(): void {
    this.sorted = null;
    this.assets.clear();
    this.albums.clear();
    this.people.clear();
    this.files.clear();
  }

  /** Deleted for good: gone without a trace (no search can show it). */
  deleteForGood(id: string): void {
    this.sorted = null;
    this.assets.delete(id);
    for (const { assetIds } of this.albums.values()) assetIds.delete(id);
  }

  addPerson(name: string, isHidden = false): PersonResponseDto {
    const person: PersonResponseDto = {
      id: randomUUID(),
      name,
      birthDate: null,
      isHidden,
      thumbnailPath: '',
      updatedAt: this.tick(),
    };
    this.people.set(person.id, person);
    return person;
  }

  /** Tags the asset with these people (as face recognition would). */
  setPeople(assetId: string, people: PersonResponseDto[]): void {
    this.update(assetId, { people });
  }

  addAlbum(name: string, assetIds: string[]): AlbumResponseDto {
    const now = this.tick();
    const album: AlbumResponseDto = {
      id: randomUUID(),
      albumName: name,
      albumThumbnailAssetId: assetIds[0] ?? null,
      albumUsers: [],
      assetCount: assetIds.length,
      createdAt: now,
      description: '',
      hasSharedLink: false,
      isActivityEnabled: true,
      shared: false,
      updatedAt: now,
    };
    this.albums.set(album.id, { album, assetIds: new Set(assetIds) });
    return album;
  }

  addToAlbum(albumId: string, assetIds: string[]): void {
    const entry = this.albums.get(albumId);
    if (!entry) throw new Error(`no album ${albumId}`);
    for (const id of assetIds) entry.assetIds.add(id);
    entry.album.assetCount = entry.assetIds.size;
    entry.album.updatedAt = this.tick();
  }

  searchPages(): number {
    return this.requests.filter((r) => r.path === '/api/search/metadata').length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));

    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const fault = this.fault;
    const matches = fault && fault.count > 0 && (!fault.path || fault.path.test(url.pathname));
    if (fault && matches && (fault.skip ?? 0) > 0) fault.skip = (fault.skip ?? 0) - 1;
    else if (fault && matches) {
      fault.count--;
      return send(fault.status, {
        message: 'stand-in fault',
        statusCode: fault.status,
        error: 'Fault',
      });
    }
    if (req.headers['x-api-key'] !== this.apiKey)
      return send(401, { message: 'Invalid API key', statusCode: 401, error: 'Unauthorized' });

    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /api/search/metadata')
      return send(200, this.search(body as MetadataSearchDto));
    if (route === 'GET /api/assets/statistics') return send(200, this.statistics(url.searchParams));
    if (route === 'GET /api/albums')
      return send(
        200,
        [...this.albums.values()].map((a) => a.album),
      );
    if (route === 'GET /api/people') return send(200, this.peoplePage(url.searchParams));
    const file = /^GET \/api\/assets\/([^/]+)\/(original|thumbnail)$/.exec(route);
    if (file) {
      const files = this.files.get(file[1] as string);
      if (!files || !this.assets.has(file[1] as string))
        return send(404, { message: 'Asset not found', statusCode: 404, error: 'Not Found' });
      const original = file[2] === 'original';
      const bytes = await readFile(original ? files.original : files.preview);
      res.writeHead(200, {
        'content-type': original
          ? (this.assets.get(file[1] as string)?.originalMimeType ?? 'application/octet-stream')
          : 'image/jpeg',
        'content-length': bytes.length,
      });
      res.end(bytes);
      return;
    }
    send(404, { message: `Cannot ${route}`, statusCode: 404, error: 'Not Found' });
  }

  /** Immich's metadata search: newest taken first, `page` numbers as strings in nextPage. */
  private search(dto: MetadataSearchDto): SearchResponseDto {
    const size = dto.size ?? 250;
    const page = dto.page ?? 1;
    this.sorted ??= [...this.assets.values()].sort(
      (a, b) => b.fileCreatedAt.localeCompare(a.fileCreatedAt) || a.id.localeCompare(b.id),
    );
    let found = this.sorted.filter(
      (a) =>
        a.visibility !== AssetVisibility.Hidden &&
        a.visibility !== AssetVisibility.Locked &&
        (dto.withDeleted || !a.isTrashed) &&
        (!dto.updatedAfter || a.updatedAt >= dto.updatedAfter) &&
        (!dto.albumIds ||
          dto.albumIds.every((albumId) => this.albums.get(albumId)?.assetIds.has(a.id))),
    );
    const total = found.length;
    found = found.slice((page - 1) * size, page * size);
    const items = found.map((a) => {
      const { exifInfo, people, ...rest } = structuredClone(a);
      return {
        ...rest,
        ...(dto.withExif && exifInfo ? { exifInfo } : {}),
        ...(dto.withPeople ? { people: people ?? [] } : {}),
      } satisfies AssetResponseDto;
    });
    return {
      albums: { count: 0, facets: [], items: [], total: 0 },
      assets: {
        count: items.length,
        facets: [],
        items,
        nextCursor: null,
        nextPage: page * size < total ? String(page + 1) : null,
        total: items.length,
      },
    };
  }

  private statistics(query: URLSearchParams): AssetStatsResponseDto {
    const visibility = query.get('visibility');
    const trashed = query.get('isTrashed');
    const counted = [...this.assets.values()].filter(
      (a) =>
        (!visibility || a.visibility === visibility) &&
        (trashed === null || String(a.isTrashed) === trashed),
    );
    const images = counted.filter((a) => a.type === AssetTypeEnum.Image).length;
    const videos = counted.filter((a) => a.type === AssetTypeEnum.Video).length;
    return { images, videos, total: counted.length };
  }

  private peoplePage(query: URLSearchParams): PeopleResponseDto {
    const size = Number(query.get('size') ?? 500);
    const page = Number(query.get('page') ?? 1);
    const withHidden = query.get('withHidden') === 'true';
    const all = [...this.people.values()].filter((p) => withHidden || !p.isHidden);
    const people = all.slice((page - 1) * size, page * size);
    return {
      people,
      total: all.length,
      hidden: [...this.people.values()].filter((p) => p.isHidden).length,
      hasNextPage: page * size < all.length,
    };
  }
}
