// The floor the BFF's own work stands on, for `pnpm bench bff`: the same framework and file path
// (Hono on @hono/node-server, sendFile, node-server.ts's positioned reads from a kept descriptor)
// serving one file, stat'd once at start — no middleware, no database, no per-request check.
import { statSync } from 'node:fs';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { createLogger } from '../src/logger';
import { startServer } from '../src/node-server';
import { sendFile } from '../src/storage/send-file';

const [file, port] = process.argv.slice(2) as [string, string];
const stats = statSync(file);
const app = new Hono<{ Bindings: HttpBindings }>().get('/', (c) =>
  sendFile(c.req.raw, file, { stats, contentType: 'video/mp4', etag: 'fixed' }),
);
await startServer(app, {
  port: Number(port),
  hostname: '127.0.0.1',
  logger: createLogger('silent'),
});
