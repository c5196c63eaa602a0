import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { DeviceSessions } from '../services/device-sessions.service';
import { sameSecret } from './tokens';

export const SESSION_COOKIE = 'immichvr_session';

/**
 * Who may use the app. `open`: anyone who can reach it (loopback, development). `paired`: on the
 * LAN, only devices paired with a code from the terminal (session cookie), scripts with
 * API_TOKEN, and this machine itself; the health check and the pairing page are open to all.
 */
export type AccessPolicy =
  | { mode: 'open' }
  | {
      mode: 'paired';
      sessions: DeviceSessions;
      apiToken: string | undefined;
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

export function accessControl(policy: AccessPolicy): MiddlewareHandler<{ Bindings: HttpBindings }> {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) assertSameOrigin(c);
    if (policy.mode === 'open') return next();
    if (OPEN_PATHS.has(c.req.path)) return next();
    // This machine itself is not "the LAN": its own browser and `pnpm sessions` need no pairing
    // (behind a reverse proxy on this machine every request would look local: see README).
    if (policy.trustLoopback && isLoopbackAddress(clientAddress(c))) return next();

    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const token = /^Bearer (.+)$/i.exec(authorization)?.[1];
      if (policy.apiToken && token && sameSecret(token, policy.apiToken)) return next();
      throw new UnauthorizedError('the API token is not valid');
    }

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
