import { opendir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every regular file under `root`, depth first, in a stable (sorted) order. Hidden entries
 * (".thumbnails", ".DS_Store", …) and symbolic links are skipped: links could leave the root or loop.
 */
export async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = [];
    for await (const entry of await opendir(dir)) entries.push(entry);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  await walk(root);
  return files;
}
