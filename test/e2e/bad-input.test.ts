// Bad input: a clear message (what is wrong, what to do), a non-zero exit, and nothing changed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotTree, useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();
const okConfig = fakeAgentConfig({ files: { 'x.txt': 'x\n' } });

/** Config is committed, so the checked-out target stays clean and only the config is wrong. */
async function commitConfig(root: string, git: (args: string[]) => Promise<string>, text: string): Promise<void> {
  await writeFile(join(root, 'orch.config.json'), text);
  await git(['commit', '--quiet', '-am', 'config']);
}

interface Case {
  name: string;
  setup?: (root: string, git: (args: string[]) => Promise<string>) => Promise<void>;
  args: string[];
  env?: Record<string, string>;
  message: RegExp;
}

const cases: Case[] = [
  { name: 'an unknown base ref', args: ['run', 'goal', '--base', 'no-such-ref'], message: /no-such-ref/ },
  { name: 'a base ref that looks like an option', args: ['run', 'goal', '--base', '--upload-pack=evil'], message: /upload-pack|not a valid|option/i },
  { name: 'a target name that is not a branch name', args: ['run', 'goal', '--target', 'a..b'], message: /a\.\.b/ },
  { name: 'an unknown target branch without a base', args: ['run', 'goal', '--target', 'nope'], message: /target branch 'nope' does not exist/ },
  {
    name: 'a checked-out target with local changes',
    setup: async (root) => writeFile(join(root, 'README.md'), 'changed\n'),
    args: ['run', 'goal'],
    message: /checked out in .* with local changes/,
  },
  { name: 'a test command that does not exist', args: ['run', 'goal', '--test-cmd', 'no-such-test-runner --all'], message: /'no-such-test-runner' was not found/ },
  { name: 'an empty goal', args: ['run', '   '], message: /goal is empty/ },
  { name: 'an unknown agent', args: ['run', 'goal', '--agent', 'gpt-pilot'], message: /Unknown agent 'gpt-pilot'/ },
  { name: 'a bad timeout', args: ['run', 'goal', '--timeout', '-5'], message: /--timeout must be a positive number/ },
  {
    name: 'an invalid config file (the zod path is named)',
    setup: async (root, git) => commitConfig(root, git, JSON.stringify({ checks: { timeoutSeconds: 'soon' } })),
    args: ['run', 'goal'],
    message: /checks\.timeoutSeconds/,
  },
  {
    name: 'a config file that is not JSON',
    setup: async (root, git) => commitConfig(root, git, '{ "agent": '),
    args: ['run', 'goal'],
    message: /not valid JSON/,
  },
  {
    name: 'an agent program that is not installed',
    setup: async (root, git) => commitConfig(root, git, JSON.stringify({ agents: { claude: { binary: 'no-such-claude' } } })),
    args: ['run', 'goal'],
    message: /program 'no-such-claude' was not found/,
  },
  {
    name: 'Claude Code without a login or a key',
    setup: async (root, git) => commitConfig(root, git, JSON.stringify({ agents: { claude: { binary: process.execPath } } })),
    args: ['run', 'goal'],
    env: { ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CONFIG_DIR: '/nonexistent-orch-test' },
    message: /not logged in/,
  },
];

describe('orch run refuses bad input and changes nothing', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });
      await testCase.setup?.(repo.root, (args) => repo.git(args));
      const before = await snapshotTree(repo.root);
      const refsBefore = await repo.git(['for-each-ref']);
      const home = await temp.dir();
      const result = await runOrch(testCase.args, { cwd: repo.root, home, ...(testCase.env ? { env: testCase.env } : {}) });
      expect(result.stderr).toMatch(testCase.message);
      expect(result.exitCode).toBe(2);
      expect(await snapshotTree(repo.root)).toEqual(before);
      expect(await repo.git(['for-each-ref'])).toBe(refsBefore);
      const runs = await runOrch(['runs', '--json'], { cwd: repo.root, home });
      expect(JSON.parse(runs.stdout)).toEqual([]);
    });
  }

  it('outside a git repository', async () => {
    const dir = await temp.dir();
    await mkdir(join(dir, 'plain'));
    const result = await runOrch(['run', 'goal'], { cwd: join(dir, 'plain'), home: join(dir, 'home') });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/not a git repository/);
  });

  it('in a repository without commits', async () => {
    const repo = await temp.repo({ empty: true });
    const result = await runOrch(['run', 'goal'], { cwd: repo.root, home: await temp.dir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no commits/);
  });
});
