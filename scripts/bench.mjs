// pnpm bench [name…]: runs each named benchmark in the package that owns it (all when none given).
import { spawnSync } from 'node:child_process';

/** The Playwright bench file of each benchmark that runs in Chromium. */
const BROWSER_BENCHES = {
  render: 'bench/render-frame.bench.ts',
  web: 'bench/web.bench.ts',
  video: 'bench/video.bench.ts',
};

// render: the mesh build in Node (web), then frame cost in Chromium (e2e's server and browser).
const OWNERS = {
  import: ['@immichvr/bff'],
  bff: ['@immichvr/bff'],
  immich: ['@immichvr/bff'],
  worker: ['@immichvr/bff'],
  soak: ['@immichvr/bff'],
  render: ['@immichvr/web', '@immichvr/e2e'],
  web: ['@immichvr/e2e'],
  // video: the worker in Node (bff), then playback in Chromium (e2e).
  video: ['@immichvr/bff', '@immichvr/e2e'],
};
const names = process.argv.slice(2).filter((a) => a !== '--');
const unknown = names.filter((n) => !(n in OWNERS));
if (unknown.length) {
  console.error(`unknown bench "${unknown[0]}"; available: ${Object.keys(OWNERS).join(', ')}`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(OWNERS)) {
  for (const owner of OWNERS[name]) {
    const args = owner === '@immichvr/e2e' ? [BROWSER_BENCHES[name]] : [name];
    const result = spawnSync('pnpm', ['--filter', owner, 'bench', ...args], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
