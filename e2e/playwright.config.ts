import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = 21371;
/**
 * A fresh data folder per run: the app starts empty, renders the demo library and serves it.
 * Set once by the runner; its workers inherit it (specs that touch files read it).
 */
process.env.IMMICHVR_E2E_DATA_DIR ??= path.join(os.tmpdir(), `immichvr-e2e-${process.pid}`);
const DATA_DIR = process.env.IMMICHVR_E2E_DATA_DIR;
/** Where the app fetches the depth model from in these tests: a stand-in host the spec starts. */
export const MODEL_HOST_PORT = 21379;
/** The Immich server the app is configured with in these tests: a stand-in the Immich spec starts. */
export const IMMICH_PORT = 21378;
export const IMMICH_API_KEY = 'e2e-immich-key';

export default defineConfig({
  testDir: './specs',
  globalSetup: './support/remove-stale-data-dirs.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `rm -rf ${DATA_DIR} && pnpm --filter @immichvr/web build:if-stale && pnpm --filter @immichvr/bff start`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      DATA_DIR,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      // The demo library and an Immich server side by side (with IMMICH_URL, auto would skip it).
      DEMO_LIBRARY: 'on',
      DEPTH_MODEL_URL: `http://127.0.0.1:${MODEL_HOST_PORT}/model.onnx`,
      // Synced only when a spec asks (Sync now): until then the Immich line says "not synced yet".
      IMMICH_URL: `http://127.0.0.1:${IMMICH_PORT}`,
      IMMICH_API_KEY,
      IMMICH_SYNC_INTERVAL_MINUTES: '0',
    },
  },
});
