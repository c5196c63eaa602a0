import { describe, expect, it } from 'vitest';
import { allowedHostNames, hostNameOf, isAllowedHost } from './allowed-hosts';

describe('allowed hosts', () => {
  const loopbackOnly = allowedHostNames({ listenHost: '127.0.0.1', lanAddresses: [], extra: [] });

  it('reads host names from Host headers', () => {
    expect(hostNameOf('LocalHost:21370')).toBe('localhost');
    expect(hostNameOf('[::1]:21370')).toBe('::1');
    expect(hostNameOf('example.com.')).toBe('example.com');
    expect(hostNameOf('a b')).toBeNull();
    expect(hostNameOf(undefined)).toBeNull();
  });

  it('answers loopback names only, by default', () => {
    for (const host of ['127.0.0.1:21370', 'localhost:21370', '[::1]:21370', 'app.localhost'])
      expect(isAllowedHost(host, loopbackOnly), host).toBe(true);
    for (const host of ['attacker.example:21370', '127.0.0.1.nip.io', '', 'evil.com'])
      expect(isAllowedHost(host, loopbackOnly), host).toBe(false);
  });

  it('on the LAN: its addresses and configured names too', () => {
    const lan = allowedHostNames({
      listenHost: '0.0.0.0',
      lanAddresses: ['192.168.1.20'],
      extra: ['Photos.Example.org'],
    });
    expect(isAllowedHost('192.168.1.20:21443', lan)).toBe(true);
    expect(isAllowedHost('photos.example.org', lan)).toBe(true);
    expect(isAllowedHost('192.168.1.21:21443', lan)).toBe(false);
  });
});
