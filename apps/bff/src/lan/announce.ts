import QRCode from 'qrcode';

/** Tells the person at the terminal where to point the headset: every LAN URL and a QR code. */
export async function announceLanUrls(urls: string[], certificate: 'given' | 'generated' | 'kept') {
  const lines = ['', 'ImmichVR is on your network. On the headset (or any device), open:'];
  for (const url of urls) lines.push(`  ${url}`);
  if (urls.length === 0) lines.push('  (no network address found: is this machine connected?)');
  if (urls[0]) lines.push('', await QRCode.toString(urls[0], { type: 'terminal', small: true }));
  if (certificate !== 'given')
    lines.push(
      'The certificate is self-signed: the browser warns once — choose Advanced → Proceed.',
    );
  lines.push('Then enter the pairing code shown here. `pnpm sessions` lists paired devices.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function announcePairingCode(
  code: string,
  expiresAt: Date,
  by: { client: string; device: string },
): void {
  const until = expiresAt.toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' });
  const address = by.client.replace(/^::ffff:/, '');
  process.stdout.write(
    `\n  Pairing code: ${code}   for ${by.device} at ${address} (until ${until})\n` +
      '  Type it on that device only; if you did not open /pair there, ignore it.\n\n',
  );
}
