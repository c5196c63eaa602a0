// pnpm bench [name…]: runs each named benchmark in the package that owns it (all when none given).
import { spawnSync } from 'node:child_process';

const OWNERS = {
  import: '@immichvr/bff',
  bff: '@immichvr/bff',
  worker: '@immichvr/bff',
  render: '@immichvr/web',
};
const names = process.argv.slice(2).filter((a) => a !== '--');
const unknown = names.filter((n) => !(n in OWNERS));
if (unknown.length) {
  console.error(`unknown bench "${unknown[0]}"; available: ${Object.keys(OWNERS).join(', ')}`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(OWNERS)) {
  const result = spawnSync('pnpm', ['--filter', OWNERS[name], 'bench', name], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
