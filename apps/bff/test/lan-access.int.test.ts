import http from 'node:http';
import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/security/security-headers';
import { PAIRING } from '../src/services/pairing.service';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

const API_TOKEN = 'test-token-0123456789abcdef0123';
const LOCAL_TOKEN = 'local-token-0123456789abcdef012345';

/** A GET with the Host header set as given (fetch will not send a Host of one's choosing). */
function rawGet(
  base: string,
  path: string,
  host: string,
  token?: string,
): Promise<{ status: number; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    http
      .get(
        url,
        { headers: { host, ...(token ? { authorization: `Bearer ${token}` } : {}) } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] });
        },
      )
      .on('error', reject);
  });
}

describe.each(ENGINES)('on the LAN (%s): pairing, sessions, CSRF, API token', (engine) => {
  let s: TestServer;
  const codes: string[] = [];
  let origin: string;

  beforeAll(async () => {
    s = await startTestServer(engine, {
      lan: {
        apiToken: API_TOKEN,
        localToken: LOCAL_TOKEN,
        announceCode: (code) => codes.push(code),
      },
    });
    origin = s.url;
  });
  afterAll(async () => s?.close());

  const cookieOf = (response: Response, name: string) =>
    response.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0];
  /** A device opens the pairing page: its ticket cookie, and the code the terminal showed for it. */
  const openPairing = async () => {
    const before = codes.length;
    const res = await s.get('/pair');
    return {
      status: res.status,
      ticket: cookieOf(res, 'immichvr_pairing'),
      code: codes.length > before ? (codes.at(-1) as string) : undefined,
    };
  };
  const pair = (
    code: string,
    ticket: string | undefined,
    headers: Record<string, string> = { origin },
  ) =>
    s.get('/api/pairing', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(ticket ? { cookie: ticket } : {}),
        ...headers,
      },
      body: JSON.stringify({ code }),
    });
  const sessionCookie = (response: Response) =>
    response.headers.getSetCookie().find((c) => c.startsWith('immichvr_session='));

  it('lets nothing but the health check and the pairing page through without a session', async () => {
    // The health check says only that the app is up: nothing about the library or its database.
    const health = await s.get('/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const full = await s.get('/api/health', { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(await full.json()).toMatchObject({ status: 'ok', mediaCount: 0 });
    for (const path of [
      '/api/media',
      '/api/timeline',
      '/api/queue',
      '/api/events',
      '/api/openapi.json',
      '/api/sessions',
    ]) {
      const res = await s.get(path);
      expect(res.status, path).toBe(401);
      expect(problemSchema.parse(await res.json()).detail).toMatch(/pair/);
    }
    const page = await s.get('/', { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/pair');
    expect(codes).toHaveLength(0); // nobody asked for a code yet
  });

  it('gives each device its own code; the right one gives a strict, HttpOnly cookie', async () => {
    const device = await openPairing();
    expect(device.status).toBe(200);
    // The code is shown in the terminal only, never in a response; the ticket is a strict cookie.
    expect(device.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(device.ticket).toMatch(/^immichvr_pairing=/);
    const wrong = await pair('AAAA-AAAA', device.ticket);
    expect(wrong.status).toBe(403);
    expect(sessionCookie(wrong)).toBeUndefined();
    // The right code without this device's ticket is no good.
    expect((await pair(device.code as string, undefined)).status).toBe(403);
    // A cross-site page cannot pair (nor use) a session.
    expect(
      (await pair(device.code as string, device.ticket, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    const right = await pair(
      (device.code as string).toLowerCase().replace('-', ' '),
      device.ticket,
    );
    expect(right.status).toBe(201);
    expect(right.headers.get('cache-control')).toBe('no-store');
    const cookie = sessionCookie(right) as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=31536000/);
    // The code was one-time.
    expect((await pair(device.code as string, device.ticket)).status).toBe(403);

    const session = cookie.split(';')[0] as string;
    const library = await s.get('/api/media?limit=1', { headers: { cookie: session } });
    expect(library.status).toBe(200);
    // State changes need this app's own origin.
    const id = '00000000-0000-4000-8000-000000000000';
    const crossSite = await s.get(`/api/media/${id}/reprocess`, {
      method: 'POST',
      headers: {
        cookie: session,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await s.get(`/api/media/${id}/reprocess`, {
      method: 'POST',
      headers: { cookie: session, origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sameSite.status).toBe(404); // through the guard, to the handler: no such item

    // Who is paired is never cached; revoked, the device must pair again.
    const listed = await s.get('/api/sessions', { headers: { cookie: session } });
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const { sessions } = (await listed.json()) as {
      sessions: Array<{ id: string; deviceName: string }>;
    };
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.deviceName).toMatch(/browser|Node|unknown/i);
    const revoke = await s.get(`/api/sessions/${sessions[0]?.id.slice(0, 8)}/revoke`, {
      method: 'POST',
      headers: { cookie: session, origin },
    });
    expect(revoke.headers.get('cache-control')).toBe('no-store');
    expect(await revoke.json()).toEqual({ revoked: 1 });
    expect((await s.get('/api/media?limit=1', { headers: { cookie: session } })).status).toBe(401);
  });

  it('no amount of wrong guesses from others locks a user out of their code; guessing stays limited', async () => {
    const user = await openPairing();
    // Someone else on the LAN guesses: without a ticket, and with their own ticket until it burns.
    for (let i = 0; i < 30; i++) expect((await pair(`WRNG-${i}`, undefined)).status).toBe(403);
    const attacker = await openPairing();
    for (let i = 0; i < PAIRING.wrongPerCode; i++)
      expect((await pair('ZZZZ-ZZZZ', attacker.ticket)).status).toBe(403);
    const burned = await pair(attacker.code as string, attacker.ticket);
    expect(burned.status).toBe(403); // five wrong tries burned that code, and only that one
    // The user's code still works.
    expect((await pair(user.code as string, user.ticket)).status).toBe(201);
    // One address cannot ask for codes without end (5 per 15 minutes): 5 tries each at most.
    let limited: Response | undefined;
    for (let i = 0; i < PAIRING.requestsPerClient + 1 && !limited; i++) {
      const res = await s.get('/pair');
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(await limited?.text()).toMatch(/too many pairing codes/);
  });

  it('trusts loopback only when asked to; this machine’s tools use the local token', async () => {
    expect((await s.get('/api/media?limit=1')).status).toBe(401); // from 127.0.0.1, no credentials
    const local = await s.get('/api/sessions', {
      headers: { authorization: `Bearer ${LOCAL_TOKEN}` },
    });
    expect(local.status).toBe(200);
  });

  it('answers only the names it is reached by (DNS rebinding gets 421)', async () => {
    const rebound = await rawGet(s.url, '/api/media', 'attacker.example:21370', API_TOKEN);
    expect(rebound.status).toBe(421);
    expect(rebound.contentType).toBe('application/problem+json');
    expect((await rawGet(s.url, '/api/media', new URL(s.url).host, API_TOKEN)).status).toBe(200);
  });

  it('accepts API_TOKEN as a bearer token for scripts, and nothing like it', async () => {
    const ok = await s.get('/api/media?limit=1', {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(ok.status).toBe(200);
    for (const value of [`Bearer ${API_TOKEN}x`, 'Bearer ', `Basic ${API_TOKEN}`, API_TOKEN])
      expect((await s.get('/api/media', { headers: { authorization: value } })).status, value).toBe(
        401,
      );
  });

  it('sends the security headers on every kind of response, and no server details', async () => {
    for (const path of ['/api/health', '/api/media', '/pair', '/nope']) {
      const res = await s.get(path, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('content-security-policy'), path).toMatch(/default-src 'self'/);
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('server')).toBeNull();
    }
    expect((await s.get('/api/health')).headers.get('content-security-policy')).toBe(
      CONTENT_SECURITY_POLICY,
    );
    // The pairing page's inline style is allowed by its nonce only.
    const pairCsp = (await s.get('/pair')).headers.get('content-security-policy') as string;
    expect(pairCsp).toMatch(/style-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(pairCsp).not.toMatch(/unsafe-inline/);
  });
});

describe.each(ENGINES)('on loopback (%s)', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => s?.close());

  it('answers only loopback names: a page that rebinds its name to 127.0.0.1 gets 421', async () => {
    const rebound = await rawGet(s.url, '/api/media', 'attacker.example:21370');
    expect(rebound.status).toBe(421);
    const deleted = await rawGet(s.url, '/api/health', 'attacker.example');
    expect(deleted.status).toBe(421);
    for (const host of [new URL(s.url).host, 'localhost:21370', '[::1]:21370'])
      expect((await rawGet(s.url, '/api/media', host)).status, host).toBe(200);
  });

  it('needs no pairing, but still refuses cross-site state changes', async () => {
    expect((await s.get('/api/media')).status).toBe(200);
    expect((await s.get('/pair', { redirect: 'manual' })).status).toBe(303);
    const id = '00000000-0000-4000-8000-000000000000';
    const crossSite = await s.get(`/api/media/${id}/reprocess`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    // curl and scripts (no Origin) are not browsers: they go through.
    const script = await s.get(`/api/media/${id}/reprocess`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(script.status).toBe(404);
  });
});
