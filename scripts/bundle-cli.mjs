#!/usr/bin/env node
// Build step after tsc: the CLI as a few bundled ES modules in dist/cli (main.js, and one chunk per command and per
// shared part), so `orch <command>` resolves and reads a handful of files instead of ~150. The library (dist/index.js
// and its .d.ts files) stays tsc's output. Then writes what `orch --help` prints, so bin/orch.js can print it
// without loading the CLI at all.
//
// Three rewrites keep the bundled code behaving as the unbundled:
// - `import.meta.url` in a source file becomes the URL its tsc output would have had (paths to prompts, bin/orch.js
//   and package.json are written relative to it);
// - Node's built-in modules are loaded through `require`: an ES import of one builds its ES facade, and the facade
//   of node:http alone loads undici (about 30 ms);
// - packages that are CommonJS are bundled too, with a real `require` for what they ask of Node.
import { execFileSync } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/cli');
const require = createRequire(import.meta.url);

/** Native addons, and the terminal UI (ink loads optional parts by name): left to Node's own resolution. */
const external = ['better-sqlite3', 'ink', 'react', 'react/*', 'ink-testing-library'];

const sourceUrls = {
  name: 'source-urls',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\/src\/.*\.tsx?$/ }, async ({ path }) => {
      let contents = await readFile(path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const asCompiled = join(root, 'dist', relative(join(root, 'src'), path)).replace(/\.tsx?$/, '.js');
        const url = `new URL(${JSON.stringify(`./${relative(outdir, asCompiled)}`)}, import.meta.url).href`;
        contents = contents.replaceAll('import.meta.url', url);
      }
      return { contents, loader: path.endsWith('.tsx') ? 'tsx' : 'ts' };
    });
  },
};

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const requiredBuiltins = {
  name: 'required-builtins',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, ({ path, kind }) =>
      builtins.has(path) && kind === 'import-statement' ? { path: path.replace(/^node:/, ''), namespace: 'builtin' } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => {
      // Only plain values are re-exported: a getter (node:http's WebSocket, fetch…) would load what it guards.
      const names = Object.entries(Object.getOwnPropertyDescriptors(require(`node:${path}`)))
        .filter(([name, descriptor]) => 'value' in descriptor && /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default')
        .map(([name]) => name);
      const body = names.map((name) => `export const ${name} = m.${name};`).join('\n');
      return { contents: `const m = require('node:${path}');\nexport default m;\n${body}`, loader: 'js' };
    });
  },
};

for (const entry of await readdir(outdir)) if (entry.startsWith('bundle-')) await rm(join(outdir, entry));
await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // Prefer a package's ES build: some (jsonc-parser) ship their CommonJS as UMD, whose requires a bundler cannot follow.
  mainFields: ['module', 'main'],
  chunkNames: 'bundle-[name]-[hash]',
  external,
  plugins: [sourceUrls, requiredBuiltins],
  banner: { js: "import { createRequire as __orchRequire } from 'node:module'; const require = __orchRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

// What `orch --help` and `orch --version` print, written by the CLI itself (so it cannot drift from it).
const main = join(outdir, 'main.js');
const help = execFileSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
const version = execFileSync(process.execPath, [main, '--version'], { encoding: 'utf8' });
await writeFile(join(outdir, 'quick-output.json'), `${JSON.stringify({ help, version })}\n`);
console.log(`bundled the CLI into ${relative(root, dirname(main))} (and wrote its --help)`);
