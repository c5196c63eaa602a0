import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../../src/db/database';

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

/**
 * The faults' closing check: every depth map row has its file, every depth file its row, and no
 * half-written file is left in DATA_DIR/tmp.
 */
export async function depthFilesAndRowsAgree(
  db: Queryable,
  dataDir: string,
): Promise<{ rowsWithoutFile: string[]; filesWithoutRow: string[]; leftInTmp: string[] }> {
  const { rows } = await db.query<{ file_path: string }>('SELECT file_path FROM depth_map_cache');
  const recorded = new Set(rows.map((r) => r.file_path));
  const files = await filesUnder(path.join(dataDir, 'depth'));
  const rowsWithoutFile: string[] = [];
  for (const file of recorded) if (!(await exists(file))) rowsWithoutFile.push(file);
  return {
    rowsWithoutFile,
    filesWithoutRow: files.filter((f) => !recorded.has(f)),
    leftInTmp: await filesUnder(path.join(dataDir, 'tmp')),
  };
}
