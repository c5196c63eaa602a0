import { describe, expect, it } from 'vitest';
import { PAIRING, PairingCodes } from './pairing.service';

function codesWithClock() {
  let now = 1_000_000;
  const shown: string[] = [];
  const codes = new PairingCodes(
    (code) => shown.push(code),
    () => now,
  );
  return { codes, shown, advance: (ms: number) => (now += ms) };
}

describe('pairing codes', () => {
  it('bind each code to the device that asked: no one else’s guesses touch it', () => {
    const { codes, shown } = codesWithClock();
    const user = codes.open({ client: '192.168.1.20', device: 'Meta Quest browser' });
    const userCode = shown.at(-1) as string;
    // A hundred other addresses guess wrong, each burning only its own code.
    for (let i = 0; i < 100; i++) {
      const attacker = codes.open({ client: `192.168.1.${100 + i}`, device: 'Chrome on Linux' });
      for (let k = 0; k < PAIRING.wrongPerCode; k++)
        expect(() => codes.redeem(attacker.ticket, 'AAAA-AAAA')).toThrow();
      expect(() => codes.redeem(undefined, userCode)).toThrow(/no pairing code is waiting/);
    }
    expect(() => codes.redeem(user.ticket, userCode.toLowerCase())).not.toThrow();
    // One-time.
    expect(() => codes.redeem(user.ticket, userCode)).toThrow();
  });

  it('limits codes per address (not for the others) and expires them', () => {
    const { codes, shown, advance } = codesWithClock();
    for (let i = 0; i < PAIRING.requestsPerClient; i++) codes.open({ client: 'a', device: 'x' });
    expect(() => codes.open({ client: 'a', device: 'x' })).toThrow(/too many pairing codes/);
    const other = codes.open({ client: 'b', device: 'y' });
    advance(PAIRING.codeTtlMs + 1);
    expect(() => codes.redeem(other.ticket, shown.at(-1) as string)).toThrow(/expired/);
    advance(PAIRING.windowMs);
    expect(() => codes.open({ client: 'a', device: 'x' })).not.toThrow();
  });
});
