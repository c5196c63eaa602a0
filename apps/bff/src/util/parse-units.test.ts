import { describe, expect, it } from 'vitest';
import { parseBytes, parseDuration } from './parse-units';

describe('command-line units', () => {
  it.each([
    ['1048576', 1048576],
    ['500M', 500 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['10kb', 10240],
    ['lots', null],
    ['-5M', null],
  ])('parseBytes(%s) = %s', (text, expected) => {
    expect(parseBytes(text)).toBe(expected);
  });

  it.each([
    ['30d', 30 * 86400],
    ['12h', 43200],
    ['2w', 1209600],
    ['90s', 90],
    ['30', null],
    ['a month', null],
  ])('parseDuration(%s) = %s', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });
});
