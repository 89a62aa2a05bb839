#!/usr/bin/env node
// Installed entry point: the compiled CLI when built, else the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'node:module';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  register('tsx/esm', import.meta.url);
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
