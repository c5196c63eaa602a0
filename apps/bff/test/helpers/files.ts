import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every file below a folder (none when it does not exist). */
export async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

export const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
