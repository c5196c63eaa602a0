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

  it('reads an Immich server, its mounted library (with or without its own path) and the cache size', () => {
    const base = { IMMICH_URL: 'http://immich:2283', IMMICH_API_KEY: 'k3y', INIT_CWD: '/home/me' };
    expect(parseEnv({}).immich).toBeUndefined();
    expect(parseEnv(base).immich).toEqual({
      url: 'http://immich:2283',
      apiKey: 'k3y',
      mount: undefined,
      syncIntervalMinutes: 15,
      cacheMaxBytes: 10 * 1024 ** 3,
    });
    expect(parseEnv({ ...base, IMMICH_MEDIA_PATH: '/mnt/immich' }).immich?.mount).toEqual({
      immichPrefix: '/data',
      localPath: '/mnt/immich',
    });
    expect(
      parseEnv({
        ...base,
        IMMICH_MEDIA_PATH: '/usr/src/app/upload/=/mnt/i',
        IMMICH_CACHE_MAX_BYTES: '2G',
      }).immich,
    ).toMatchObject({
      mount: { immichPrefix: '/usr/src/app/upload', localPath: '/mnt/i' },
      cacheMaxBytes: 2 * 1024 ** 3,
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
    [{ DEMO_LIBRARY: 'yes' }, /^Invalid DEMO_LIBRARY="yes": must be auto, on or off/],
    [{ IMMICH_URL: 'immich:2283' }, /^Invalid IMMICH_URL="immich:2283": must be the http/],
    [{ IMMICH_URL: 'http://immich:2283' }, /^Invalid IMMICH_API_KEY: IMMICH_URL is set/],
    [{ IMMICH_MEDIA_PATH: 'photos' }, /^Invalid IMMICH_MEDIA_PATH="photos": must be an absolute/],
    [{ IMMICH_CACHE_MAX_BYTES: '1K' }, /^Invalid IMMICH_CACHE_MAX_BYTES="1K": must be a size/],
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
