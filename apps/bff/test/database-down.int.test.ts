import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { type Database, openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { type RunningServer, startServer } from '../src/node-server';
import { startTestServer, type TestServer } from './helpers/test-server';

describe('when the database is unreachable', () => {
  let s: TestServer;
  let dead: Database;
  let server: RunningServer;

  beforeAll(async () => {
    s = await startTestServer('embedded');
    // Nothing listens on port 1: every query fails to connect, as during a PostgreSQL restart.
    dead = await openDatabase({ engine: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' });
    server = await startServer(createApp({ ...s.deps, db: dead }), {
      port: 0,
      hostname: '127.0.0.1',
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await server?.close();
    await dead?.close();
    await s?.close();
  });

  it.each(['/api/health', '/api/media', '/api/queue/summary'])(
    'answers %s with a 503 problem, fast',
    async (pathname) => {
      const started = performance.now();
      const res = await fetch(`${server.url}${pathname}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = problemSchema.parse(await res.json());
      expect(problem.detail).toContain('database is unreachable');
      expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
      expect(performance.now() - started).toBeLessThan(5_000);
    },
  );
});
