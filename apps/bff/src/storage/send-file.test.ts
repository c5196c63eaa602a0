import { describe, expect, it } from 'vitest';
import { parseRange } from './send-file';

describe('parseRange', () => {
  it.each([
    ['bytes=0-0', 100, [0, 0]],
    ['bytes=99-', 100, [99, 99]],
    ['bytes=-10', 100, [90, 99]],
    ['bytes=-500', 100, [0, 99]],
    ['bytes=10-5000', 100, [10, 99]],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=5-1', 100, null],
    ['bytes=0-1,5-6', 100, null],
    ['items=0-1', 100, null],
  ] as const)('%s of %i bytes → %o', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});
