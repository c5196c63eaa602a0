import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/** This machine's first LAN address: pairing is only asked of devices that are not this machine. */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

test.describe('a device on the LAN', () => {
  test.skip(!lanAddress, 'this machine has no LAN address');
  let app: ChildProcess;
  let output = '';
  // Made in beforeAll: the runner also loads this file (to list the tests), and a folder made at
  // load time there is never removed.
  let dataDir = '';
  const [port, httpsPort] = [21380, 21381];

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'immichvr-e2e-lan-'));
    app = spawn('pnpm', ['--filter', '@immichvr/bff', 'start', '--lan'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        DEMO_LIBRARY: 'off',
        WORKER_CONCURRENCY: '0',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HTTPS_PORT: String(httpsPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    app.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    app.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    await expect.poll(() => output, { timeout: 60_000 }).toMatch(/To pair a device/);
  });
  test.afterAll(async () => {
    if (app?.pid) process.kill(-app.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('pairs with the code from the terminal, over HTTPS, and stays paired', async ({
    browser,
  }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    // Plain HTTP sends the browser to HTTPS, which sends an unpaired device to the pairing page.
    await page.goto(`http://${lanAddress}:${port}/`);
    await expect(page).toHaveURL(`https://${lanAddress}:${httpsPort}/pair`);
    await expect(page.getByRole('heading', { name: 'Pair this device' })).toBeVisible();

    await page.getByLabel('Pairing code').fill('AAA-AAA');
    await page.getByRole('button', { name: 'Pair' }).click();
    await expect(page.getByRole('alert')).toContainText('not the code shown in the terminal');

    // Opening the page asked for a code for this device: the terminal shows it, and who asked.
    const shown = [
      ...output.matchAll(/Pairing code: ([A-Z2-9]{4}-[A-Z2-9]{4})\s+for (.+) at (\S+)/g),
    ].at(-1);
    expect(shown?.[2]).toMatch(/Chrome on Linux/);
    expect(shown?.[3]).toBe(lanAddress);
    const code = shown?.[1] as string;
    await page.getByLabel('Pairing code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Pair' }).click();
    await expect(page).toHaveURL(`https://${lanAddress}:${httpsPort}/`);
    await expect(page.getByTestId('library-empty')).toBeVisible();
    // A secure page: VR would be offered here by a headset's browser.
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);

    const cookie = (await context.cookies()).find((c) => c.name === 'immichvr_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    // Another visit: still paired.
    await page.goto(`https://${lanAddress}:${httpsPort}/pair`);
    await expect(page).toHaveURL(`https://${lanAddress}:${httpsPort}/`);
    // A device that did not pair gets nothing but the health check.
    const stranger = await browser.newContext({ ignoreHTTPSErrors: true });
    const api = await stranger.request.get(`https://${lanAddress}:${httpsPort}/api/media`);
    expect(api.status()).toBe(401);
    expect(
      (await stranger.request.get(`https://${lanAddress}:${httpsPort}/api/health`)).status(),
    ).toBe(200);
    await stranger.close();
    await context.close();
  });
});
