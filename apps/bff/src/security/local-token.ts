import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newSessionToken } from './tokens';

/**
 * On the LAN, this machine's own tools (`pnpm sessions`) authenticate with a token the app writes
 * into DATA_DIR (readable by its owner only) at each start — not by coming from loopback, which a
 * reverse proxy on this machine would give every request.
 */
export function localTokenFile(dataDir: string): string {
  return path.join(dataDir, 'local-token');
}

export async function createLocalToken(dataDir: string): Promise<string> {
  const token = newSessionToken();
  const file = localTokenFile(dataDir);
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

export async function readLocalToken(dataDir: string): Promise<string | null> {
  return (await readFile(localTokenFile(dataDir), 'utf8').catch(() => ''))?.trim() || null;
}
