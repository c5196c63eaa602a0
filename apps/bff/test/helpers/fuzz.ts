/** Seeded randomness for the fuzz suite: the same run every time, a different one per seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Random = ReturnType<typeof prng>;

/** Strings that have broken servers: traversal, encodings, injection, control and huge values. */
export function hostileStrings(canaryPath: string): string[] {
  return [
    '',
    ' ',
    '%',
    '%zz',
    '%00',
    '\u0000',
    'null',
    'undefined',
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '9'.repeat(400),
    '-9007199254740993',
    'true',
    '[]',
    '{}',
    '{"__proto__":{"x":1}}',
    "' OR 1=1 --",
    '"; DROP TABLE media_items; --',
    '$(touch /tmp/pwned)',
    '`id`',
    '<script>alert(1)</script>',
    '../../../../../../etc/passwd',
    '..%2f..%2f..%2f..%2fetc%2fpasswd',
    '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '....//....//etc/passwd',
    '..\\..\\..\\windows\\win.ini',
    `../../..${canaryPath}`,
    canaryPath,
    `file://${canaryPath}`,
    '🙂'.repeat(300),
    'é'.repeat(1000),
    '\u202e\u0301\ufeff',
    'a'.repeat(70_000),
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '00000000-0000-4000-8000-00000000000g',
    'eyJhIjoxfQ',
    Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', '../../x'])).toString('base64url'),
    Buffer.from(JSON.stringify(['not a date', '00000000-0000-4000-8000-000000000000'])).toString(
      'base64url',
    ),
    Buffer.from('{"a":'.repeat(5000)).toString('base64url'),
    '2026-13-45T99:99:99Z',
    '0000-01-01T00:00:00Z',
    '275760-09-13T00:00:00.001Z',
  ];
}

export const RANGE_HEADERS = [
  'bytes=0-0',
  'bytes=-1',
  'bytes=-0',
  'bytes=0-',
  'bytes=5-1',
  'bytes=999999999999999999999-',
  'bytes=-999999999999999999999',
  'bytes=0-1,2-3,4-5',
  'bytes=1-2,'.repeat(500),
  'bytes=a-b',
  'bytes=--1',
  'items=0-10',
  'bytes 0-10',
  'bytes=18446744073709551616-',
  'bytes=0x10-0x20',
  '',
];
