import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsFiles {
  cert: string;
  key: string;
  /** Where they came from, for the start-up message. */
  source: 'given' | 'generated' | 'kept';
}

/**
 * The HTTPS certificate: the user's (TLS_CERT/TLS_KEY), or one generated on first use and kept
 * in DATA_DIR/tls — made again only when this machine's names or addresses change, so a device
 * accepts it once.
 */
export async function loadOrCreateCertificate(options: {
  certPath: string | undefined;
  keyPath: string | undefined;
  dataDir: string;
  addresses: string[];
}): Promise<TlsFiles> {
  if (options.certPath && options.keyPath)
    return {
      cert: await readFile(options.certPath, 'utf8'),
      key: await readFile(options.keyPath, 'utf8'),
      source: 'given',
    };
  const dir = path.join(options.dataDir, 'tls');
  const names = {
    dns: [...new Set(['localhost', os.hostname(), `${os.hostname()}.local`])].sort(),
    ips: [...new Set(['127.0.0.1', ...options.addresses])].sort(),
  };
  const files = {
    cert: path.join(dir, 'cert.pem'),
    key: path.join(dir, 'key.pem'),
    names: path.join(dir, 'names.json'),
  };
  try {
    const kept = JSON.parse(await readFile(files.names, 'utf8')) as typeof names;
    if (
      names.ips.every((ip) => kept.ips.includes(ip)) &&
      names.dns.every((n) => kept.dns.includes(n))
    )
      return {
        cert: await readFile(files.cert, 'utf8'),
        key: await readFile(files.key, 'utf8'),
        source: 'kept',
      };
  } catch {
    // None yet (or unreadable): make one.
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: `ImmichVR on ${os.hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    // Browsers accept at most ~398 days for a server certificate.
    notAfterDate: new Date(notBeforeDate.getTime() + 397 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.dns.map((value) => ({ type: 2 as const, value })),
          ...names.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(files.key, pems.private, { mode: 0o600 });
  await writeFile(files.cert, pems.cert);
  await writeFile(files.names, JSON.stringify(names));
  return { cert: pems.cert, key: pems.private, source: 'generated' };
}
