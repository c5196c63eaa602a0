import os from 'node:os';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** The IPv4 addresses other devices can reach this machine at (when listening on all of them). */
export function lanAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => Boolean(i && i.family === 'IPv4' && !i.internal))
    .map((i) => i.address);
}
