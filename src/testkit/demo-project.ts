// The sample project `orch demo` works on: a tiny Node library with one failing test, and the script the
// scripted model follows to fix it (read the code, write the fix, run the tests, summarise).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../process/run.ts';
import type { ScriptTurnInput } from './script.ts';

export const demoGoal = 'The slugify test fails: slugify("Hello, World!") should be "hello-world". Fix slugify in src/slugify.js.';

const brokenSlugify = `// Turns a title into a URL slug.
export function slugify(title) {
  return title.toLowerCase().replace(/ /g, '-');
}
`;

export const fixedSlugify = `// Turns a title into a URL slug.
export function slugify(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
`;

const slugifyTest = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slugify } from '../src/slugify.js';

test('slugify lowercases and joins words with dashes', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});

test('slugify drops punctuation', () => {
  assert.equal(slugify('Hello, World!'), 'hello-world');
});
`;

export const demoScript: ScriptTurnInput[] = [
  { text: "I'll read the implementation first.", tool: 'Read', input: { file_path: '{{cwd}}/src/slugify.js' } },
  { text: 'It only replaces spaces; punctuation survives. Rewriting it.', tool: 'Write', input: { file_path: '{{cwd}}/src/slugify.js', content: fixedSlugify } },
  { tool: 'Bash', input: { command: 'node --test', description: 'Run the tests' } },
  { text: 'slugify now collapses every run of non-alphanumerics into one dash and trims dashes at the ends; both tests pass.' },
];

async function git(cwd: string, ...args: string[]): Promise<void> {
  const result = await run(['git', '-c', 'user.name=orch demo', '-c', 'user.email=demo@orch.invalid', ...args], { cwd });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
}

/** Create the sample repository at `dir` (an empty or new directory) with one commit on main. */
export async function createDemoProject(dir: string, config: Record<string, unknown>): Promise<void> {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'slugify-demo', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`);
  writeFileSync(join(dir, 'src', 'slugify.js'), brokenSlugify);
  writeFileSync(join(dir, 'test', 'slugify.test.js'), slugifyTest);
  writeFileSync(join(dir, 'orch.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '--quiet', '-m', 'slugify, with a failing test');
}
