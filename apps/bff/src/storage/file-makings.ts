import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isFile } from '../util/is-file';
import { limitConcurrency } from '../util/limit-concurrency';

/**
 * Files made on first request and kept (previews, coarse depth maps): one making per file however
 * many requests wait for it, at most `concurrency` makings at once (decoding is CPU- and
 * memory-heavy).
 */
export class FileMakings {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly limit: ReturnType<typeof limitConcurrency>;

  constructor(concurrency: number) {
    this.limit = limitConcurrency(concurrency);
  }

  /** `target`, made first by `make` when it is not there. */
  async get(target: string, make: () => Promise<void>): Promise<string> {
    if (await isFile(target)) return target;
    const pending = this.inFlight.get(target);
    if (pending) return pending;
    const making = this.limit(async () => {
      // Made while this one waited its turn.
      if (!(await isFile(target))) await make();
      return target;
    }).finally(() => this.inFlight.delete(target));
    this.inFlight.set(target, making);
    return making;
  }
}

/**
 * Writes `target` through a partial file in `tmpDir` (same file system) renamed into place, so a
 * reader never sees half a file; the partial is removed when `write` fails.
 */
export async function writeAtomically(
  tmpDir: string,
  target: string,
  write: (partial: string) => Promise<unknown>,
): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  await mkdir(tmpDir, { recursive: true });
  const partial = path.join(tmpDir, `partial-${randomUUID()}${path.extname(target)}`);
  try {
    await write(partial);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
