#!/usr/bin/env node
// Entry point: the compiled CLI (dist/) whenever it is at least as new as the sources, else the TypeScript
// sources through tsx (a checkout being edited: never a stale build). An installed package has no sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// V8's code cache on disk: later starts skip parsing and compiling orch's modules.
module.enableCompileCache?.();

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const sources = fileURLToPath(new URL('../src', import.meta.url));

/** The newest modification time of a built file under `dir` (a few hundred stats: about a millisecond). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (!/\.test\.tsx?$/.test(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const built = existsSync(compiled) && (!existsSync(sources) || statSync(compiled).mtimeMs >= newest(sources));
if (built) {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
