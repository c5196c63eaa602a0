import { close, constants as fsConstants, fstat, open } from 'node:fs';

/** Which file a path named when it was looked at: a descriptor is reused only for the same one. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** A descriptor lent for one response; `release` once the response no longer reads it. */
export interface OpenFileLease {
  fd: number;
  release(): void;
}

/** One kept descriptor; its key names the path and the file (device, inode) it was opened for. */
interface Entry {
  fd: number;
  /** Responses reading it now: it is closed only at 0. */
  users: number;
  lastUsed: number;
}

export interface OpenFilesOptions {
  /** Descriptors kept open at most (those in use are never closed; the least recently used go). */
  max?: number;
  /** A descriptor nobody used for this long is closed (a deleted file's space is given back). */
  idleMs?: number;
}

/**
 * Open descriptors of recently served files, as nginx's open_file_cache: a video seeking or a
 * client fetching a file in ranges (bodies up to 1 MiB, see node-server.ts) costs one read per
 * request instead of open, read and close.
 * A descriptor is reused only while the path still names the same file (device and inode, from
 * the stat each response makes anyway); a replaced file is opened anew. Reads use positions
 * (pread), so responses share a descriptor safely.
 */
export class OpenFiles {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private readonly idleMs: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: OpenFilesOptions = {}) {
    this.max = options.max ?? 64;
    this.idleMs = options.idleMs ?? 5_000;
  }

  /** Descriptors open now (for tests and the soak's file-descriptor count). */
  get size(): number {
    return this.entries.size;
  }

  async acquire(file: string, identity: FileIdentity): Promise<OpenFileLease> {
    const key = `${identity.dev}:${identity.ino}:${file}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const fd = await openReadOnly(file);
      const actual = await fstatOf(fd).catch((error) => {
        close(fd, () => undefined);
        throw error;
      });
      entry = this.entries.get(key);
      if (entry || actual.dev !== identity.dev || actual.ino !== identity.ino) {
        // Another response opened it meanwhile, or the path names another file by now: this
        // descriptor serves this response only.
        return { fd, release: () => close(fd, () => undefined) };
      }
      entry = { fd, users: 0, lastUsed: performance.now() };
      this.entries.set(key, entry);
    }
    entry.users++;
    entry.lastUsed = performance.now();
    this.evictOverflow();
    this.sweepLater();
    const used = entry;
    let released = false;
    return {
      fd: used.fd,
      release: () => {
        if (released) return;
        released = true;
        used.users--;
        used.lastUsed = performance.now();
        if (this.entries.get(key) !== used && used.users === 0) close(used.fd, () => undefined);
      },
    };
  }

  /** Closes every descriptor not in use (those in use close when released). */
  close(): void {
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    for (const [key, entry] of this.entries) this.drop(key, entry);
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (entry.users === 0) close(entry.fd, () => undefined);
  }

  /** Least recently used first (a Map keeps insertion order; lastUsed says who is older). */
  private evictOverflow(): void {
    if (this.entries.size <= this.max) return;
    const byAge = [...this.entries].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [key, entry] of byAge) {
      if (this.entries.size <= this.max) break;
      this.drop(key, entry);
    }
  }

  private sweepLater(): void {
    if (this.sweeper) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      const now = performance.now();
      for (const [key, entry] of this.entries)
        if (entry.users === 0 && now - entry.lastUsed >= this.idleMs) this.drop(key, entry);
      if (this.entries.size > 0) this.sweepLater();
    }, this.idleMs);
    this.sweeper.unref();
  }
}

function openReadOnly(file: string): Promise<number> {
  return new Promise((resolve, reject) =>
    open(file, fsConstants.O_RDONLY, (error, fd) => (error ? reject(error) : resolve(fd))),
  );
}

function fstatOf(fd: number): Promise<FileIdentity> {
  return new Promise((resolve, reject) =>
    fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats))),
  );
}
