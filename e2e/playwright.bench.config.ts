import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/** `pnpm bench render` (Chromium part): the same server and browser as the e2e tests, bench files only. */
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  timeout: 180_000,
});
