// The dashboard build: web/ is the root, the bundle goes to web/dist, which `orch serve` serves at '/'.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  // `vite --config web/vite.config.ts` during development: the API comes from a running `orch serve`.
  server: { proxy: { '/api': process.env['ORCH_API'] ?? 'http://127.0.0.1:7777' } },
});
