import os from 'node:os';
import type { MiddlewareHandler } from 'hono';

/** Names that always mean this machine (a page cannot make them point elsewhere). */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * The names a request's Host may carry: loopback, the address it listens on, and on the LAN its
 * LAN addresses and host name (and `<name>.local`), plus ALLOWED_HOSTS. Anything else is a page
 * that made its own name resolve to us (DNS rebinding) or a misrouted request.
 */
export function allowedHostNames(options: {
  listenHost: string;
  lanAddresses: string[];
  extra: string[];
}): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, ...options.extra.map((n) => n.toLowerCase())]);
  if (options.listenHost !== '0.0.0.0' && options.listenHost !== '::')
    names.add(options.listenHost.toLowerCase());
  if (options.lanAddresses.length > 0) {
    for (const address of options.lanAddresses) names.add(address.toLowerCase());
    const hostname = os.hostname().toLowerCase();
    names.add(hostname);
    names.add(`${hostname}.local`);
  }
  return names;
}

/** The host name of a Host header, lower case, without port or IPv6 brackets; null if malformed. */
export function hostNameOf(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1] as string;
  const plain = /^([a-z0-9.-]+)(?::\d+)?$/.exec(value);
  return plain ? (plain[1] as string).replace(/\.$/, '') : null;
}

export function isAllowedHost(header: string | undefined, names: Set<string>): boolean {
  const name = hostNameOf(header);
  return name !== null && (names.has(name) || name.endsWith('.localhost'));
}

/** 421 Misdirected Request for a Host this server does not answer to (before anything else). */
export function hostCheck(names: Set<string>): MiddlewareHandler {
  return async (c, next) => {
    if (isAllowedHost(c.req.header('host'), names)) return next();
    return new Response(
      JSON.stringify({
        type: 'about:blank',
        title: 'Misdirected Request',
        status: 421,
        detail:
          'this server does not answer to that host name; add it to ALLOWED_HOSTS if it is yours',
      }),
      { status: 421, headers: { 'Content-Type': 'application/problem+json' } },
    );
  };
}
