import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL_MAP } from './control-map';

describe('the control map', () => {
  it('is the README’s controls table, row for row', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
    const rows = readme
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('| ') && !line.startsWith('| action') && !line.startsWith('| ---'),
      )
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      )
      .filter((cells) => cells.length === 4);
    expect(rows).toEqual(CONTROL_MAP.map((r) => [r.action, r.controller, r.hand, r.desktop]));
  });
});
