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
  /** Wrong codes allowed per client address per window, and in all per window. */
  attemptsPerClient: 5,
  attemptsInAll: 20,
  windowMs: 15 * 60_000,
  /** A code is burned after this many wrong tries, whoever made them. */
  wrongPerCode: 5,
} as const;

/**
 * The one-time pairing code: made when someone needs one (the pairing page is opened, or the
 * server starts on the LAN), shown only in the terminal, good for one device and five minutes.
 * Wrong guesses are limited per address and in all; a code guessed at too often is burned.
 */
export class PairingCodes {
  private code: { value: string; expiresAt: number; wrong: number } | null = null;
  private failures = new Map<string, number[]>();
  private allFailures: number[] = [];

  constructor(
    private readonly announce: (code: string, expiresAt: Date) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live code, making (and announcing) a new one when there is none. */
  ensureCode(): void {
    if (this.code && this.code.expiresAt > this.now()) return;
    this.code = { value: newPairingCode(), expiresAt: this.now() + PAIRING.codeTtlMs, wrong: 0 };
    this.announce(this.code.value, new Date(this.code.expiresAt));
  }

  /** Checks a typed code for a client; consumes it when right. Throws 429 / 403 otherwise. */
  redeem(typed: string, client: string): void {
    const now = this.now();
    const recent = (list: number[]) => list.filter((t) => t > now - PAIRING.windowMs);
    const mine = recent(this.failures.get(client) ?? []);
    this.allFailures = recent(this.allFailures);
    if (
      mine.length >= PAIRING.attemptsPerClient ||
      this.allFailures.length >= PAIRING.attemptsInAll
    ) {
      const oldest = Math.min(
        ...(mine.length >= PAIRING.attemptsPerClient ? mine : this.allFailures),
      );
      throw new TooManyRequestsError(
        'too many wrong codes; wait before trying again',
        Math.ceil((oldest + PAIRING.windowMs - now) / 1000),
      );
    }
    const code = this.code;
    if (code && code.expiresAt > now && sameSecret(normalizePairingCode(typed), code.value)) {
      this.code = null;
      return;
    }
    mine.push(now);
    this.failures.set(client, mine);
    this.allFailures.push(now);
    if (code && ++code.wrong >= PAIRING.wrongPerCode) this.code = null;
    if (!code || code.expiresAt <= now) {
      this.code = null;
      throw new ForbiddenError('that code has expired; a new one is in the terminal');
    }
    throw new ForbiddenError('that is not the code shown in the terminal');
  }
}

/** A device that typed the right code gets a long-lived session; the token goes in its cookie. */
export async function pairDevice(
  db: Queryable,
  codes: PairingCodes,
  input: { code: string; client: string; userAgent: string | undefined },
): Promise<{ token: string; session: DeviceSessionRow }> {
  codes.redeem(input.code, input.client);
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
