// The dashboard build: web/ is the root, the bundle goes to web/dist, which `orch serve` serves at '/'.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The page runs in a browser: a node: module reached from it is a mistake, so the build fails instead of shimming it. */
function browserOnly(): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: 'orch:browser-only',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith('node:') || builtins.has(source)) {
        this.error(`${importer ?? 'the dashboard'} imports '${source}', a Node module; the dashboard runs in a browser (see web/vite.config.ts)`);
      }
      return null;
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [browserOnly(), react()],
  // orch/client is the package's own client (src/client), bundled from source; web/tsconfig.json maps it the same way.
  resolve: { alias: { 'orch/client': fileURLToPath(new URL('../src/client/index.ts', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  // `vite --config web/vite.config.ts` during development: the API comes from a running `orch serve`.
  server: { proxy: { '/api': process.env['ORCH_API'] ?? 'http://127.0.0.1:7777' } },
});
