import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('parseEnv', () => {
  it('applies the documented defaults, resolving DATA_DIR from where the command was run', () => {
    const env = parseEnv({ INIT_CWD: '/home/me/immichvr' });
    expect(env).toMatchObject({
      port: 21370,
      host: '127.0.0.1',
      dataDir: path.resolve('/home/me/immichvr/data'),
      databaseUrl: undefined,
      demoLibrary: 'auto',
    });
  });

  it('takes valid values and treats an empty DATABASE_URL as unset', () => {
    const env = parseEnv({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/srv/vr', DATABASE_URL: '' });
    expect(env).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/vr',
      databaseUrl: undefined,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid PORT="eighty": must be a number/],
    [{ PORT: '70000' }, /^Invalid PORT="70000": must be between 1 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid DATABASE_URL="mysql:\/\/x": must be a postgres:\/\//],
    [{ HOST: 'a b' }, /^Invalid HOST="a b"/],
    [{ DEMO_LIBRARY: 'yes' }, /^Invalid DEMO_LIBRARY="yes": must be auto or off/],
  ])('stops with a one-line explanation for %o', (source, message) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(message);
    try {
      parseEnv(source);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
