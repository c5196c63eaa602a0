import { stat } from 'node:fs/promises';

/** Whether `file` exists and is a regular file (links followed). */
export async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}
