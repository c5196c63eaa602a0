import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCliSync, spawnApp } from './helpers/app-process';

/** GET over HTTPS trusting only `ca`: the server's certificate must be valid for the address. */
function getTrusting(
  url: string,
  ca: string,
): Promise<{ status: number; body: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (response) => {
        const fingerprint = (response.socket as import('node:tls').TLSSocket).getPeerCertificate()
          .fingerprint256;
        let body = '';
        response.on('data', (c: Buffer) => {
          body += c.toString();
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body,
            fingerprint,
          }),
        );
      })
      .on('error', reject);
  });
}

describe('pnpm start --lan', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-lan-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('serves HTTPS with a certificate it makes once, redirects HTTP, prints URLs, a QR code and how to pair', async () => {
    const [port, httpsPort] = [await freePort(), await freePort()];
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PORT: String(port),
      HTTPS_PORT: String(httpsPort),
    };
    const app = await spawnApp(env, ['--lan'], /To pair a device/);
    try {
      const out = app.output();
      const lan = Object.values(os.networkInterfaces())
        .flat()
        .filter((i) => i && i.family === 'IPv4' && !i.internal);
      for (const address of lan) expect(out).toContain(`https://${address?.address}:${httpsPort}`);
      if (lan.length > 0)
        expect(out).toMatch(/[▄▀█]{6,}/); // the QR code
      else expect(out).toMatch(/no network address found/);
      expect(out).toMatch(/self-signed/);

      const redirect = await new Promise<http.IncomingMessage>((resolve) =>
        http.get(`http://127.0.0.1:${port}/api/health?x=1`, resolve),
      );
      expect(redirect.statusCode).toBe(308);
      expect(redirect.headers.location).toBe(`https://127.0.0.1:${httpsPort}/api/health?x=1`);

      const cert = await readFile(path.join(dataDir, 'tls', 'cert.pem'), 'utf8');
      const x509 = new X509Certificate(cert);
      expect(x509.subjectAltName).toMatch(/IP Address:127\.0\.0\.1/);
      const health = await getTrusting(`https://127.0.0.1:${httpsPort}/api/health`, cert);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });

      // `pnpm sessions` works while the app holds the embedded database (through the app).
      const sessions = runCliSync('sessions', [], env);
      expect(sessions.stderr).toBe('');
      expect(sessions.stdout).toMatch(/No paired devices/);
      const revoke = runCliSync('sessions', ['revoke', 'abcd'], env);
      expect(revoke.status).toBe(1);
      expect(revoke.stderr).toMatch(/no live session matches/);
    } finally {
      await app.stop();
    }

    // Started again: the same certificate (the headset accepted it once).
    const again = await spawnApp(env, ['--lan'], /To pair a device/);
    try {
      const before = new X509Certificate(await readFile(path.join(dataDir, 'tls', 'cert.pem')))
        .fingerprint256;
      const health = await getTrusting(
        `https://127.0.0.1:${httpsPort}/api/health`,
        await readFile(path.join(dataDir, 'tls', 'cert.pem'), 'utf8'),
      );
      expect(health.fingerprint).toBe(before);
    } finally {
      await again.stop();
    }
  }, 120_000);

  it('uses TLS_CERT/TLS_KEY when given', async () => {
    const pems = await generate([{ name: 'commonName', value: 'my.own.cert' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const certPath = path.join(dataDir, 'mine.crt');
    const keyPath = path.join(dataDir, 'mine.key');
    await writeFile(certPath, pems.cert);
    await writeFile(keyPath, pems.private);
    const [port, httpsPort] = [await freePort(), await freePort()];
    const env = {
      DATA_DIR: path.join(dataDir, 'other'),
      DATABASE_URL: '',
      PORT: String(port),
      HTTPS_PORT: String(httpsPort),
      TLS_CERT: certPath,
      TLS_KEY: keyPath,
    };
    const app = await spawnApp(env, ['--lan'], /To pair a device/);
    try {
      expect(app.output()).not.toMatch(/self-signed/);
      const health = await getTrusting(`https://127.0.0.1:${httpsPort}/api/health`, pems.cert);
      expect(health.fingerprint).toBe(new X509Certificate(pems.cert).fingerprint256);
    } finally {
      await app.stop();
    }
  }, 120_000);

  it('stays plain HTTP on loopback without --lan, and says what is wrong with half a TLS pair', async () => {
    const port = await freePort();
    const app = await spawnApp(
      {
        DATA_DIR: path.join(dataDir, 'plain'),
        DATABASE_URL: '',
        PORT: String(port),
        LOG_LEVEL: 'info',
      },
      [],
      /listening/,
    );
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/media`);
      expect(res.status).toBe(200);
    } finally {
      await app.stop();
    }
    await expect(
      spawnApp(
        { DATA_DIR: path.join(dataDir, 'half'), DATABASE_URL: '', TLS_CERT: 'x.pem' },
        ['--lan'],
        /never/,
      ),
    ).rejects.toThrow(/TLS_CERT\/TLS_KEY: give both/);
  }, 120_000);
});
