import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger';

/** A file's last use is written to its mtime at most this often (it survives a restart). */
const TOUCH_EVERY_MS = 60_000;

interface Entry {
  bytes: number;
  touchedAt: number;
}

/**
 * Files fetched from elsewhere (an Immich server's originals and previews), kept under one folder
 * up to `maxBytes`, the least recently used removed first. One fetch per file however many ask;
 * a fetch goes to a temporary name and is renamed into place, so a half-fetched file is never
 * served. The use order is rebuilt from mtimes when the process starts.
 */
export class BoundedFileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly fetching = new Map<string, Promise<string>>();
  private total = 0;
  private loaded: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly logger: Logger,
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.total;
  }

  /** The file, fetched by `download(tmpFile)` when it is not here yet. */
  async get(file: string, download: (tmpFile: string) => Promise<unknown>): Promise<string> {
    await this.load();
    const entry = this.entries.get(file);
    if (entry && (await stat(file).catch(() => null))) {
      this.touch(file, entry);
      return file;
    }
    if (entry) this.drop(file);
    let pending = this.fetching.get(file);
    if (!pending) {
      pending = this.fetch(file, download).finally(() => this.fetching.delete(file));
      this.fetching.set(file, pending);
    }
    return pending;
  }

  private async fetch(file: string, download: (tmpFile: string) => Promise<unknown>) {
    const tmpDir = path.join(this.dir, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    try {
      await download(tmp);
      await mkdir(path.dirname(file), { recursive: true });
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const { size } = await stat(file);
    this.entries.set(file, { bytes: size, touchedAt: Date.now() });
    this.total += size;
    await this.evict(file);
    return file;
  }

  private touch(file: string, entry: Entry): void {
    // Map order is use order: move to the end.
    this.entries.delete(file);
    this.entries.set(file, entry);
    const now = Date.now();
    if (now - entry.touchedAt < TOUCH_EVERY_MS) return;
    entry.touchedAt = now;
    const at = new Date(now);
    utimes(file, at, at).catch(() => {});
  }

  private drop(file: string): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    this.entries.delete(file);
    this.total -= entry.bytes;
  }

  /** Removes the least recently used files until the cache fits (never the one just fetched). */
  private async evict(keep: string): Promise<void> {
    for (const [file] of this.entries) {
      if (this.total <= this.maxBytes) return;
      if (file === keep) continue;
      this.drop(file);
      await rm(file, { force: true }).catch((error: Error) =>
        this.logger.warn('could not remove a cached file', { file, error: error.message }),
      );
    }
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const found: Array<{ file: string; bytes: number; mtimeMs: number }> = [];
      const walk = async (dir: string): Promise<void> => {
        const names = await readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const d of names) {
          const full = path.join(dir, d.name);
          if (d.isDirectory() && d.name === '.tmp')
            await rm(full, { recursive: true, force: true });
          else if (d.isDirectory()) await walk(full);
          else if (d.isFile()) {
            const s = await stat(full).catch(() => null);
            if (s) found.push({ file: full, bytes: s.size, mtimeMs: s.mtimeMs });
          }
        }
      };
      await walk(this.dir);
      found.sort((a, b) => a.mtimeMs - b.mtimeMs);
      for (const f of found) {
        this.entries.set(f.file, { bytes: f.bytes, touchedAt: f.mtimeMs });
        this.total += f.bytes;
      }
      await this.evict('');
    })();
    return this.loaded;
  }
}
