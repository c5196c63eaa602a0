// Builds the web app only when a source file is newer than the last build (pnpm start).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const newest = (entry) => {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
};
const sources = [
  'src',
  'index.html',
  'vite.config.ts',
  'precompress.ts',
  'xr-profiles.ts',
  'glb-textures.ts',
  'package.json',
  '../../packages/shared/src',
].map((p) => newest(path.join(here, p)));
const built = newest(path.join(here, 'dist/index.html'));
if (built > Math.max(...sources)) {
  console.log('web app is up to date');
} else {
  const result = spawnSync('pnpm', ['exec', 'vite', 'build', '--logLevel', 'warn'], {
    cwd: here,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
