import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { isInside } from '../storage/data-layout';
import { sendFile } from '../storage/send-file';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.glb': 'model/gltf-binary',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** Precompressed siblings written by the web build, best first. */
const ENCODINGS = [
  { token: 'br', suffix: '.br' },
  { token: 'gzip', suffix: '.gz' },
] as const;

const isFile = async (file: string) => (await stat(file).catch(() => null))?.isFile() ?? false;

/**
 * The built web app: files from `distDir`, index.html for client-side routes, the build's `.br` or
 * `.gz` sibling when the client accepts it. Hashed files under /assets are cached for a year;
 * everything else revalidates.
 */
export function webAppRoutes(distDir: string) {
  return new Hono().on(['GET', 'HEAD'], '*', async (c) => {
    let requested: string;
    try {
      requested = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      requested = '/';
    }
    const candidate = path.join(distDir, path.normalize(requested));
    const found = isInside(candidate, distDir) && (await isFile(candidate));
    // A missing build file is a 404, not index.html (which a script tag would choke on).
    if (!found && requested.startsWith('/assets/')) return c.text('Not Found', 404);
    const file = found ? candidate : path.join(distDir, 'index.html');
    if (!(await isFile(file))) {
      return c.text(
        'The web app is not built: run `pnpm start` (or `pnpm --filter @immichvr/web build`).',
        503,
      );
    }
    const accepted = c.req.header('accept-encoding') ?? '';
    let served = file;
    let encoding: string | undefined;
    for (const e of ENCODINGS) {
      if (new RegExp(`\\b${e.token}\\b`).test(accepted) && (await isFile(file + e.suffix))) {
        served = file + e.suffix;
        encoding = e.token;
        break;
      }
    }
    const immutable = found && requested.startsWith('/assets/');
    const response = await sendFile(c.req.raw, served, {
      contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.headers.set('Vary', 'Accept-Encoding');
    if (encoding) response.headers.set('Content-Encoding', encoding);
    return response;
  });
}
