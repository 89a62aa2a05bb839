#!/usr/bin/env node
// Rebuilds the example suite's fixture: `textkit.bundle` (a tiny Node library with two bugs, one commit on main)
// and `hidden/slugify.patch` (the hidden tests for the slugify task, as the real fix's commit would add them).
// The suite reads the bundle directly (git clones from bundles), so nothing needs to be built before `orch eval`.
// Run: node examples/eval/make-fixture.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'textkit-'));
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'orch example',
  GIT_AUTHOR_EMAIL: 'example@orch.invalid',
  GIT_COMMITTER_NAME: 'orch example',
  GIT_COMMITTER_EMAIL: 'example@orch.invalid',
  // Fixed dates: the bundle comes out the same every time.
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};
const git = (...args) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
const write = (path, text) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

write('package.json', `${JSON.stringify({ name: 'textkit', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`);
write('src/slugify.js', `// Turns a title into a URL slug.\nexport function slugify(title) {\n  return title.toLowerCase().replace(/ /g, '-');\n}\n`);
write('src/clamp.js', `// Keeps a number within [min, max].\nexport function clamp(value, min, max) {\n  return Math.min(value, max);\n}\n`);
write(
  'test/slugify.test.js',
  `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { slugify } from '../src/slugify.js';\n\ntest('slugify joins words with dashes', () => {\n  assert.equal(slugify('Hello World'), 'hello-world');\n});\n\ntest('slugify drops punctuation', () => {\n  assert.equal(slugify('Hello, World!'), 'hello-world');\n});\n`,
);
write(
  'test/clamp.test.js',
  `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { clamp } from '../src/clamp.js';\n\ntest('clamp caps at max', () => {\n  assert.equal(clamp(5, 0, 3), 3);\n});\n\ntest('clamp raises to min', () => {\n  assert.equal(clamp(-5, 0, 3), 0);\n});\n`,
);
git('init', '--quiet', '--initial-branch=main');
git('add', '-A');
git('commit', '--quiet', '-m', 'textkit: slugify and clamp, each with a failing test');
git('bundle', 'create', '--quiet', join(here, 'textkit.bundle'), 'main');

// The hidden tests: what a real fix's commit adds. Written as a patch against main, applied only at judgement.
write(
  'test/slugify-hidden.test.js',
  `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { slugify } from '../src/slugify.js';\n\ntest('slugify handles any punctuation', () => {\n  assert.equal(slugify('Rock & Roll'), 'rock-roll');\n  assert.equal(slugify('What? Why!'), 'what-why');\n});\n\ntest('slugify trims dashes at the ends', () => {\n  assert.equal(slugify('  Trim me  '), 'trim-me');\n});\n`,
);
git('add', '-A');
writeFileSync(join(here, 'hidden', 'slugify.patch'), git('diff', '--cached', 'main'));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`wrote ${join(here, 'textkit.bundle')} and ${join(here, 'hidden', 'slugify.patch')}\n`);
