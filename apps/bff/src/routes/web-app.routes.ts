import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { sendFile } from '../storage/send-file';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.glb': 'model/gltf-binary',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The built web app: files from `distDir`, index.html for client-side routes. Hashed files under
 * /assets are cached for a year; everything else revalidates.
 */
export function webAppRoutes(distDir: string) {
  return new Hono().on(['GET', 'HEAD'], '*', async (c) => {
    const requested = decodeURIComponent(new URL(c.req.url).pathname);
    const candidate = path.join(distDir, path.normalize(requested).replace(/^(\.\.[/\\])+/, ''));
    const isFile =
      candidate.startsWith(distDir) && (await stat(candidate).catch(() => null))?.isFile();
    const file = isFile ? candidate : path.join(distDir, 'index.html');
    if (!(await stat(file).catch(() => null))) {
      return c.text(
        'The web app is not built: run `pnpm start` (or `pnpm --filter @immichvr/web build`).',
        503,
      );
    }
    const immutable = isFile && requested.startsWith('/assets/');
    return sendFile(c.req.raw, file, {
      contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
}
