import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { writeTestJpeg } from './helpers/media-fixtures';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../../..');
const readme = () => readFile(path.join(repo, 'README.md'), 'utf8');

/**
 * pnpm's own verbs: `pnpm <verb>` runs pnpm's command, never a package script of that name (pnpm 12
 * runs its own `import` even through `--filter`). `test` and `start` run the script.
 */
const PNPM_VERBS = new Set([
  'add',
  'audit',
  'bin',
  'config',
  'create',
  'dedupe',
  'deploy',
  'dlx',
  'env',
  'exec',
  'fetch',
  'i',
  'import',
  'init',
  'install',
  'install-test',
  'licenses',
  'link',
  'list',
  'ls',
  'outdated',
  'pack',
  'patch',
  'patch-commit',
  'prune',
  'publish',
  'rebuild',
  'remove',
  'root',
  'run',
  'server',
  'setup',
  'store',
  'unlink',
  'update',
  'why',
]);

describe('the README’s commands', () => {
  it('name only scripts the root package has, none shadowed by a pnpm command', async () => {
    const scripts = Object.keys(
      (JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { scripts: object })
        .scripts,
    );
    const named = [...(await readme()).matchAll(/pnpm ([a-z][a-z:-]*)/g)].map(
      (m) => m[1] as string,
    );
    const used = [...new Set(named)].filter((n) => n !== 'install'); // `pnpm install` is pnpm's own, on purpose
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) {
      expect(scripts, `pnpm ${name}`).toContain(name);
      expect(PNPM_VERBS.has(name), `pnpm ${name} is pnpm's own command`).toBe(false);
    }
  });

  it('imports a folder with the README’s import line, as written', async () => {
    const line = (await readme())
      .split('\n')
      .find((l) => /^pnpm library:import /.test(l.trim()))
      ?.replace(/#.*$/, '')
      .trim();
    expect(line).toBe('pnpm library:import ~/Pictures');
    const home = await mkdtemp(path.join(os.tmpdir(), 'immichvr-readme-'));
    try {
      await mkdir(path.join(home, 'Pictures'));
      await writeTestJpeg(path.join(home, 'Pictures', 'one.jpg'), { width: 64, height: 48 });
      await writeTestJpeg(path.join(home, 'Pictures', 'two.jpg'), {
        width: 48,
        height: 64,
        seed: 2,
      });
      const dataDir = path.join(home, 'data');
      const env = {
        ...process.env,
        HOME: home,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
      };
      // A mistyped folder: said in one line, before any database is made in the data folder.
      const typo = await run('bash', ['-c', (line as string).replace('Pictures', 'Pictrues')], {
        cwd: repo,
        env,
      }).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(typo?.code).toBe(1);
      expect(typo?.stderr).toContain(`immichvr: ${path.join(home, 'Pictrues')} is not a folder`);
      expect(existsSync(path.join(dataDir, 'db'))).toBe(false);
      const { stdout } = await run('bash', ['-c', line as string], { cwd: repo, env });
      expect(stdout).toMatch(/added\s+2/);
      const db = await openDatabase({ engine: 'embedded', dataDir });
      try {
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM media_items',
        );
        expect(rows[0]?.n).toBe(2);
      } finally {
        await db.close();
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);
});
