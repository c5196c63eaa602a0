import type { MiddlewareHandler } from 'hono';

/**
 * What the app needs and no more: its own scripts, styles, workers and API; images also from
 * blob: and data:, and blob: fetches (the controller models' embedded textures are unpacked to
 * blob: URLs and fetched); nothing may frame it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self'",
  "connect-src 'self' blob:",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response (a page may tighten CSP further, e.g. the pairing page's nonce). */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    if (!headers.has('Content-Security-Policy'))
      headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer a form POST carries `Origin: null`, which the
    // CSRF check must refuse. Other sites still get no referrer.
    headers.set('Referrer-Policy', 'same-origin');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set(
      'Permissions-Policy',
      'xr-spatial-tracking=(self), camera=(), microphone=(), geolocation=(), payment=()',
    );
  };
}
