import { randomBytes } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { API, pairingRequestSchema } from '@immichvr/shared';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppDeps } from '../app-deps';
import { HttpProblem } from '../errors';
import {
  type AccessPolicy,
  clientAddress,
  pairedSession,
  SESSION_COOKIE,
} from '../security/access';
import { CONTENT_SECURITY_POLICY } from '../security/security-headers';
import { deviceName, PAIRING, type PairingCodes, pairDevice } from '../services/pairing.service';
import { routePath } from './route-path';
import { parseInput } from './validate';

/** A year: the device stays paired until revoked (`pnpm sessions revoke`). */
const SESSION_MAX_AGE_SECONDS = 365 * 24 * 3600;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The pairing page: one field, large enough to type on a headset. Its only style is nonce'd. */
function pairingPage(nonce: string, message?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pair this device · ImmichVR</title>
<style nonce="${nonce}">
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#111;color:#eee;font:20px system-ui,sans-serif}
form{display:grid;gap:16px;padding:32px;background:#1c1d22;border-radius:16px;max-width:28rem}
h1{margin:0;font-size:28px}p{margin:0;color:#aaa}
input{font:600 40px ui-monospace,monospace;letter-spacing:6px;text-align:center;text-transform:uppercase;padding:12px;border-radius:10px;border:2px solid #3a3d48;background:#111;color:#fff}
button{font:600 24px system-ui;padding:14px;border-radius:10px;border:0;background:#1f5c4f;color:#fff}
.error{color:#ff8a8a}
</style></head>
<body><form method="post" action="/pair">
<h1>Pair this device</h1>
<p>A code for this device is now shown in the terminal where ImmichVR runs: type it here. This device then stays paired until you revoke it (<code>pnpm sessions</code>).</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<input name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="12" required autofocus aria-label="Pairing code">
<button type="submit">Pair</button>
</form></body></html>`;
}

export function pairingRoutes(deps: AppDeps, codes: PairingCodes, policy: AccessPolicy) {
  const page = (message: string | undefined, status: 200 | 403 | 429 | 400) => {
    const nonce = randomBytes(16).toString('base64');
    return new Response(pairingPage(nonce, message), {
      status,
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY.replace(
          "style-src 'self'",
          `style-src 'nonce-${nonce}'`,
        ),
      },
    });
  };
  type C = Context<{ Bindings: HttpBindings }>;
  const requester = (c: C) => ({
    client: clientAddress(c),
    device: deviceName(c.req.header('user-agent')),
  });
  /** A code for this device (shown in the terminal), unless one is already waiting for it. */
  const openTicket = (c: C) => {
    if (codes.isWaiting(getCookie(c, PAIRING_COOKIE))) return;
    const { ticket } = codes.open(requester(c));
    setTicketCookie(c, ticket);
  };
  const pair = async (c: C, code: string) => {
    const { token, session } = await pairDevice(deps.db, codes, {
      ticket: getCookie(c, PAIRING_COOKIE),
      code,
      userAgent: c.req.header('user-agent'),
    });
    deleteCookie(c, PAIRING_COOKIE, { path: '/', secure: true });
    setSessionCookie(c, token);
    deps.logger.info('device paired', { session: session.id, device: session.device_name });
    return session;
  };

  return new Hono<{ Bindings: HttpBindings }>()
    .get('/pair', async (c) => {
      if (policy.mode === 'open' || (await pairedSession(c, policy))) return c.redirect('/', 303);
      try {
        openTicket(c);
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        return withCookies(c, page(error.message, 429));
      }
      return withCookies(c, page(undefined, 200));
    })
    .post('/pair', async (c) => {
      if (policy.mode === 'open') return c.redirect('/', 303);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const code = typeof form.code === 'string' ? form.code : '';
      try {
        await pair(c, code);
        c.header('Cache-Control', 'no-store');
        return c.redirect('/', 303);
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        return withCookies(c, page(error.message, error.status === 429 ? 429 : 403));
      }
    })
    .post(routePath(API.pairingRequest, '/'), (c) => {
      if (policy.mode === 'open')
        throw new HttpProblem(404, 'Not Found', 'pairing is off: this server is not on the LAN');
      const { ticket, expiresAt } = codes.open(requester(c));
      setTicketCookie(c, ticket);
      c.header('Cache-Control', 'no-store');
      return c.json({ expiresAt: expiresAt.toISOString() }, 201);
    })
    .post(routePath(API.pairing, '/'), async (c) => {
      if (policy.mode === 'open')
        throw new HttpProblem(404, 'Not Found', 'pairing is off: this server is not on the LAN');
      const { code } = parseInput(pairingRequestSchema, await c.req.json().catch(() => ({})));
      const session = await pair(c, code);
      c.header('Cache-Control', 'no-store');
      return c.json({ sessionId: session.id, deviceName: session.device_name }, 201);
    });
}

/** The cookie of a device's pairing ticket (its code waits for it alone). */
export const PAIRING_COOKIE = 'immichvr_pairing';

/** A Response made outside Hono's context keeps the cookies the context set. */
function withCookies(c: Context, response: Response): Response {
  for (const cookie of c.res.headers.getSetCookie()) response.headers.append('Set-Cookie', cookie);
  return response;
}

function setTicketCookie(c: Parameters<typeof setCookie>[0], ticket: string): void {
  setCookie(c, PAIRING_COOKIE, ticket, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: Math.ceil(PAIRING.codeTtlMs / 1000),
  });
}

function setSessionCookie(c: Parameters<typeof setCookie>[0], token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}
