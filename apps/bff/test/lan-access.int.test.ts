import { problemSchema } from '@immichvr/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/security/security-headers';
import { PAIRING } from '../src/services/pairing.service';
import { ENGINES } from './helpers/test-database';
import { startTestServer, type TestServer } from './helpers/test-server';

const API_TOKEN = 'test-token-0123456789abcdef0123';

describe.each(ENGINES)('on the LAN (%s): pairing, sessions, CSRF, API token', (engine) => {
  let s: TestServer;
  const codes: string[] = [];
  let origin: string;

  beforeAll(async () => {
    s = await startTestServer(engine, {
      lan: { apiToken: API_TOKEN, announceCode: (code) => codes.push(code) },
    });
    origin = s.url;
  });
  afterAll(async () => s?.close());

  const pair = (code: string, headers: Record<string, string> = { origin }) =>
    s.get('/api/pairing', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ code }),
    });
  const sessionCookie = (response: Response) =>
    response.headers.getSetCookie().find((c) => c.startsWith('immichvr_session='));

  it('lets nothing but the health check and the pairing page through without a session', async () => {
    expect((await s.get('/api/health')).status).toBe(200);
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
    const pairing = await s.get('/pair');
    expect(pairing.status).toBe(200);
    expect(await pairing.text()).toContain('Pair this device');
    // Opening the pairing page showed a code in the terminal; it is never in a response.
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatch(/^[A-Z2-9]{3}-[A-Z2-9]{3}$/);
  });

  it('refuses wrong codes, then limits the attempts; the right code gives a strict, HttpOnly cookie', async () => {
    const wrong = await pair('AAA-AAA');
    expect(wrong.status).toBe(403);
    expect(sessionCookie(wrong)).toBeUndefined();
    // A cross-site page cannot pair (nor use) a session.
    expect((await pair(codes.at(-1) as string, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    const right = await pair((codes.at(-1) as string).toLowerCase().replace('-', ' '));
    expect(right.status).toBe(201);
    const cookie = sessionCookie(right) as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=31536000/);
    // The code was one-time.
    expect((await pair(codes.at(-1) as string)).status).toBe(403);

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

    // Revoked: the device must pair again.
    const listed = await s.get('/api/sessions', { headers: { cookie: session } });
    const { sessions } = (await listed.json()) as {
      sessions: Array<{ id: string; deviceName: string }>;
    };
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.deviceName).toMatch(/browser|Node|unknown/i);
    const revoke = await s.get(`/api/sessions/${sessions[0]?.id.slice(0, 8)}/revoke`, {
      method: 'POST',
      headers: { cookie: session, origin },
    });
    expect(await revoke.json()).toEqual({ revoked: 1 });
    expect((await s.get('/api/media?limit=1', { headers: { cookie: session } })).status).toBe(401);
  });

  it('rate-limits guessing per client, with Retry-After', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < PAIRING.attemptsPerClient + 1; i++) {
      await s.get('/pair'); // makes sure a code exists
      const res = await pair('ZZZ-ZZZ');
      if (res.status === 429) {
        limited = res;
        break;
      }
      expect(res.status).toBe(403);
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(60);
    // Even the right code waits now.
    expect((await pair(codes.at(-1) as string)).status).toBe(429);
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
