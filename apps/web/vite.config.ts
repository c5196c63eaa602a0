import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';
import { xrProfiles } from './xr-profiles.ts';

/** In development the BFF runs beside Vite; API calls are proxied to it. */
const bff = `http://127.0.0.1:${process.env.PORT ?? 21370}`;

export default defineConfig({
  plugins: [react(), xrProfiles(), precompress()],
  server: { proxy: { '/api': bff } },
  build: { sourcemap: true },
});
