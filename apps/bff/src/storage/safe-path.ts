import { realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * The real path of `file` if it lies inside one of `roots` (after resolving symbolic links, so a
 * link cannot lead out), else null. Missing files are null too.
 */
export async function resolveInsideRoots(
  file: string,
  roots: readonly string[],
): Promise<string | null> {
  if (!path.isAbsolute(file)) return null;
  const real = await realpath(file).catch(() => null);
  if (!real) return null;
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => null);
    if (!realRoot) continue;
    const relative = path.relative(realRoot, real);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return real;
  }
  return null;
}
