import type { Queryable } from '../db/database';
import { type DeviceSessionRow, insertDeviceSession } from '../db/queries/sessions.queries';
import { ForbiddenError, TooManyRequestsError } from '../errors';
import {
  hashToken,
  newPairingCode,
  newSessionToken,
  normalizePairingCode,
  sameSecret,
} from '../security/tokens';

export const PAIRING = {
  /** A code is good for this long after it is shown. */
  codeTtlMs: 5 * 60_000,
  /** A device's code is burned after this many wrong tries (it asks for a new one). */
  wrongPerCode: 5,
  /** Codes one address may ask for per window. */
  requestsPerClient: 5,
  windowMs: 15 * 60_000,
  /** Codes waiting at once; past this the oldest is dropped (memory stays bounded). */
  maxWaiting: 1_000,
} as const;

/** Who asked for a code, shown beside it in the terminal. */
export interface PairingRequester {
  client: string;
  device: string;
}

interface Waiting {
  code: string;
  expiresAt: number;
  wrong: number;
}

/**
 * One-time pairing codes, each bound to the device that asked for it: opening the pairing page
 * gives that device a pairing ticket (a random secret in a cookie) and shows its code — and which
 * device asked — in the terminal. A code is only accepted with its own ticket, so guesses from
 * anyone else never touch it: nobody on the LAN can burn or lock out the code a user is typing.
 * Guessing stays infeasible: 5 tries per code, 5 codes per address per 15 minutes, 31⁸ codes.
 */
export class PairingCodes {
  private readonly waiting = new Map<string, Waiting>();
  private readonly requests = new Map<string, number[]>();

  constructor(
    private readonly announce: (code: string, expiresAt: Date, by: PairingRequester) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new code for a device: its ticket (for its cookie) and when it expires. 429 when it asks too often. */
  open(by: PairingRequester): { ticket: string; expiresAt: Date } {
    const now = this.now();
    for (const [key, w] of this.waiting) if (w.expiresAt <= now) this.waiting.delete(key);
    const mine = (this.requests.get(by.client) ?? []).filter((t) => t > now - PAIRING.windowMs);
    if (mine.length >= PAIRING.requestsPerClient) {
      throw new TooManyRequestsError(
        'this device asked for too many pairing codes; wait before asking again',
        Math.ceil(((mine[0] as number) + PAIRING.windowMs - now) / 1000),
      );
    }
    mine.push(now);
    this.requests.set(by.client, mine);
    if (this.waiting.size >= PAIRING.maxWaiting) {
      const oldest = this.waiting.keys().next().value;
      if (oldest !== undefined) this.waiting.delete(oldest);
    }
    const ticket = newSessionToken();
    const waiting = { code: newPairingCode(), expiresAt: now + PAIRING.codeTtlMs, wrong: 0 };
    this.waiting.set(hashToken(ticket), waiting);
    this.announce(waiting.code, new Date(waiting.expiresAt), by);
    return { ticket, expiresAt: new Date(waiting.expiresAt) };
  }

  /** Whether a ticket's code is still waiting (the page then shows no new code). */
  isWaiting(ticket: string | undefined): boolean {
    const w = ticket ? this.waiting.get(hashToken(ticket)) : undefined;
    return w !== undefined && w.expiresAt > this.now();
  }

  /** Checks the code typed on the device holding `ticket`; consumes it when right, else 403. */
  redeem(ticket: string | undefined, typed: string): void {
    const key = ticket ? hashToken(ticket) : undefined;
    const waiting = key ? this.waiting.get(key) : undefined;
    if (!key || !waiting || waiting.expiresAt <= this.now()) {
      if (key) this.waiting.delete(key);
      throw new ForbiddenError(
        'no pairing code is waiting for this device (or it expired): open /pair for a new one',
      );
    }
    if (sameSecret(normalizePairingCode(typed), waiting.code)) {
      this.waiting.delete(key);
      return;
    }
    if (++waiting.wrong >= PAIRING.wrongPerCode) {
      this.waiting.delete(key);
      throw new ForbiddenError('too many wrong codes: open /pair for a new one');
    }
    throw new ForbiddenError('that is not the code shown in the terminal');
  }
}

/** A device that typed its right code gets a long-lived session; the token goes in its cookie. */
export async function pairDevice(
  db: Queryable,
  codes: PairingCodes,
  input: { ticket: string | undefined; code: string; userAgent: string | undefined },
): Promise<{ token: string; session: DeviceSessionRow }> {
  codes.redeem(input.ticket, input.code);
  const token = newSessionToken();
  const session = await insertDeviceSession(db, hashToken(token), deviceName(input.userAgent));
  return { token, session };
}
/** A readable name for a device from its User-Agent ("Quest browser", "Chrome on Linux"…). */
export function deviceName(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  if (/OculusBrowser|Quest/i.test(ua)) return 'Meta Quest browser';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'A browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'an unknown system';
  return `${browser} on ${os}`.slice(0, 200);
}
