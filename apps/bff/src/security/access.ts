import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { DeviceSessions } from '../services/device-sessions.service';
import { sameSecret } from './tokens';

export const SESSION_COOKIE = 'immichvr_session';

/**
 * Who may use the app. `open`: anyone who can reach it (loopback, development). `paired`: on the
 * LAN, only devices paired with a code from the terminal (session cookie), scripts with API_TOKEN,
 * this machine's tools with the local token file, and — only when asked for (LAN_TRUST_LOOPBACK) —
 * any request from loopback; the health check and the pairing page are open to all.
 */
export type AccessPolicy =
  | { mode: 'open' }
  | {
      mode: 'paired';
      sessions: DeviceSessions;
      apiToken: string | undefined;
      /** The token in DATA_DIR/local-token (local-token.ts). */
      localToken: string | undefined;
      trustLoopback: boolean;
    };

const OPEN_PATHS = new Set(['/api/health', '/pair', '/api/pairing']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The request's client address (for rate limits). */
export function clientAddress(c: Context<{ Bindings: HttpBindings }>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * A state-changing request from a browser must come from this app's own pages: its Origin must be
 * this server (browsers send Origin with every POST), or, without one, Sec-Fetch-Site must not be
 * cross-site. Requests with neither are not from a browser (curl, scripts) and carry no ambient
 * credentials a page could abuse. With SameSite=Strict session cookies this closes CSRF.
 */
export function assertSameOrigin(c: Context): void {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== new URL(c.req.url).host) throw new ForbiddenError('cross-site request refused');
    return;
  }
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new ForbiddenError('cross-site request refused');
}

/** The live device session of the request's cookie, if any (never in open mode). */
export async function pairedSession(c: Context, policy: AccessPolicy) {
  const cookie = getCookie(c, SESSION_COOKIE);
  return policy.mode === 'paired' && cookie && cookie.length <= 128
    ? await policy.sessions.find(cookie)
    : null;
}

/** A bearer token that is API_TOKEN or the local token; undefined without an Authorization header. */
function bearerIsValid(c: Context, policy: AccessPolicy & { mode: 'paired' }): boolean | undefined {
  const authorization = c.req.header('authorization');
  if (authorization === undefined) return undefined;
  const token = /^Bearer (.+)$/i.exec(authorization)?.[1];
  return Boolean(
    token &&
      [policy.apiToken, policy.localToken].some(
        (expected) => expected !== undefined && sameSecret(token, expected),
      ),
  );
}

/** Whether the request may see the library (what the open health check tells it depends on it). */
export async function isAuthenticated(
  c: Context<{ Bindings: HttpBindings }>,
  policy: AccessPolicy,
): Promise<boolean> {
  if (policy.mode === 'open') return true;
  if (policy.trustLoopback && isLoopbackAddress(clientAddress(c))) return true;
  const bearer = bearerIsValid(c, policy);
  if (bearer !== undefined) return bearer;
  return (await pairedSession(c, policy)) !== null;
}

export function accessControl(policy: AccessPolicy): MiddlewareHandler<{ Bindings: HttpBindings }> {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) assertSameOrigin(c);
    if (policy.mode === 'open') return next();
    if (OPEN_PATHS.has(c.req.path)) return next();
    // Loopback is trusted only when asked for: behind a reverse proxy on this machine every
    // request would look local. This machine's tools use the local token file instead.
    if (policy.trustLoopback && isLoopbackAddress(clientAddress(c))) return next();

    const bearer = bearerIsValid(c, policy);
    if (bearer === true) return next();
    if (bearer === false) throw new UnauthorizedError('the API token is not valid');

    if (!(await pairedSession(c, policy))) {
      if (c.req.path.startsWith('/api/'))
        throw new UnauthorizedError(
          'this device is not paired: open /pair and enter the code shown in the terminal',
        );
      return c.redirect('/pair', 303);
    }
    return next();
  };
}
