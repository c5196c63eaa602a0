import { describe, expect, it } from 'vitest';
import { threadExecArgv } from './thread-exec-argv';

describe('threadExecArgv', () => {
  it("keeps the process's options and drops the main script's", () => {
    expect(
      threadExecArgv([
        '--max-old-space-size=4096',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "console.log('-p')",
        '--cpu-prof',
      ]),
    ).toEqual(['--max-old-space-size=4096', '--import', 'tsx', '--cpu-prof']);
    expect(threadExecArgv(['--print', '1 + 1', '--eval=x', '--trace-warnings'])).toEqual([
      '--trace-warnings',
    ]);
  });
});
