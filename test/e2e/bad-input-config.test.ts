// Bad config files: a clear message naming the file and the key, exit code 2, the repository byte-identical, no run
// recorded. Config files JSON allows (comments, trailing commas, a byte order mark) work.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseCounter, createStore, expectOnlyOrchChanges, expectRefusedWithoutChange, expectRunSucceeds, okConfig, repoState, useSuiteTemp } from '../helpers/bad-input.ts';
import type { TempRepo } from '../helpers/git-fixture.ts';
import { fakeAgent, runOrch } from '../helpers/orch-cli.ts';

const temp = useSuiteTemp();
const count = caseCounter('config');
let repo: TempRepo;
let home: string;
let configs: string;

beforeAll(async () => {
  repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });
  const dir = await temp.dir();
  home = join(dir, 'home');
  configs = join(dir, 'configs');
  await mkdir(configs);
  createStore(home);
});

/** [name, config text given with --config, expected message]. */
const cases: [string, string, RegExp][] = [
  ['an unknown key', JSON.stringify({ agentz: 'claude' }), /is invalid:\n {2}- \(top level\): Unrecognized key: "agentz"[\s\S]*configuration reference/],
  ['an unknown nested key', JSON.stringify({ checks: { tset: 'npm test' } }), /- checks: Unrecognized key: "tset"/],
  ['a snake_case key (as issues write merge_via)', JSON.stringify({ github: { merge_via: 'github' } }), /- github: Unrecognized key: "merge_via"\n {2}"merge_via" is not a setting; did you mean "mergeVia" \(github\.mergeVia\)\? orch's config keys are camelCase\./],
  ['a wrong type', JSON.stringify({ checks: { timeoutSeconds: 'soon' } }), /- checks\.timeoutSeconds: must be a positive number of seconds/],
  ['a negative number', JSON.stringify({ timeouts: { attemptSeconds: -1 } }), /- timeouts\.attemptSeconds: must be a positive number of seconds/],
  ['a negative budget', JSON.stringify({ budget: { runUsd: -1 } }), /- budget\.runUsd: must be a positive amount of US dollars/],
  // Numbers past what the platform can do (a Node timer waits at most 2^31-1 ms; longer ones fired after 1 ms).
  ['an attempt timeout past the timer limit', JSON.stringify({ timeouts: { attemptSeconds: 1e10 } }), /- timeouts\.attemptSeconds: must be at most 2147483 seconds \(the longest a timer can wait/],
  ['a check timeout of 2^31 seconds', JSON.stringify({ checks: { timeoutSeconds: 2 ** 31 } }), /- checks\.timeoutSeconds: must be at most 2147483 seconds/],
  ['a retry delay past the timer limit', JSON.stringify({ retries: { delaysSeconds: [10, 1e12] } }), /- retries\.delaysSeconds\.1: must be at most 2147483 seconds/],
  ['a cooldown past the timer limit', JSON.stringify({ retries: { cooldownSeconds: 3e6 } }), /- retries\.cooldownSeconds: must be at most 2147483 seconds/],
  ['a number JSON reads as Infinity (1e400)', '{ "timeouts": { "idleSeconds": 1e400 } }', /- timeouts\.idleSeconds: must be a positive number of seconds/],
  ['a count past its range', JSON.stringify({ limits: { maxAgents: 1e9 } }), /- limits\.maxAgents: must be at most 1000/],
  ['a fractional count', JSON.stringify({ retries: { stuck: 1.5 } }), /- retries\.stuck: must be a whole number from 0 to 100/],
  ['an agent count past 32 bits', JSON.stringify({ agents: { claude: { maxTurns: 2 ** 40 } } }), /- agents\.claude\.maxTurns: must be at most 2147483647/],
  ['a budget past a million dollars', JSON.stringify({ budget: { attemptUsd: 1e9 } }), /- budget\.attemptUsd: must be at most 1000000 US dollars/],
  ['a NUL byte in a check command (\\u0000)', '{ "checks": { "test": "npm\\u0000test" } }', /- checks\.test: holds a NUL byte[\s\S]*\\u0000 escape/],
  ['a NUL byte in an agent argv', '{ "agent": "command", "agents": { "command": { "argv": ["node", "a\\u0000b"] } } }', /- agents\.command\.argv\.1: holds a NUL byte/],
  ['an unpaired surrogate in a model name', '{ "model": "son\\ud800net" }', /- model: holds an unpaired surrogate/],
  ['a check command of only invisible characters', JSON.stringify({ checks: { lint: '\u200B\u2060 ' } }), /- checks\.lint: a check command cannot be empty or blank/],
  ['nesting 200,000 levels deep (was a stack overflow)', `${'['.repeat(200_000)}${']'.repeat(200_000)}`, /is nested more than 20 levels deep[\s\S]*orch init --force/],
  ['nesting too deep inside a valid key', `{ "agents": { "command": { "env": ${'{"a":'.repeat(50)}1${'}'.repeat(50)} } } }`, /is nested more than 20 levels deep/],
  ['an agent orch does not know', JSON.stringify({ agent: 'gpt' }), /- agent: Invalid option: expected one of "claude"\|"codex"\|"command"/],
  ['a top level that is not an object', '[]', /- \(top level\): Invalid input: expected object, received array/],
  ['JSON cut short', '{\n  "agent": ', /is not valid JSON at line 2, column 12: ValueExpected[\s\S]*orch init --force/],
  ['an empty file', '', /is not valid JSON at line 1, column 1: ValueExpected/],
];

/** Valid config files whose agent setup cannot work; the message names the key to fix. */
const agentCases: [string, string, RegExp][] = [
  ['an agent program that is not installed', JSON.stringify({ agents: { claude: { binary: 'no-such-claude' } } }), /program 'no-such-claude' was not found on PATH or in orch's own node_modules\/\.bin[\s\S]*npm install -g @anthropic-ai\/claude-code[\s\S]*agents\.claude\.binary/],
  ['the command agent without agents.command (was "program \'\' was not found")', JSON.stringify({ agent: 'command' }), /The 'command' agent needs agents\.command\.argv in orch\.config\.json[\s\S]*For example/],
];

describe.concurrent('orch refuses bad config files and changes nothing', () => {
  for (const [name, text, message] of cases) {
    it(name, async () => {
      count();
      const path = join(configs, `${name.replace(/\W+/g, '-')}.json`);
      await writeFile(path, text);
      const result = await expectRefusedWithoutChange({ args: ['run', 'goal', '--config', path], message, root: repo.root, home });
      expect(result.stderr).toContain(path);
    });
  }

  for (const [name, text, message] of agentCases) {
    it(name, async () => {
      count();
      const path = join(configs, `${name.replace(/\W+/g, '-')}.json`);
      await writeFile(path, text);
      await expectRefusedWithoutChange({ args: ['run', 'goal', '--config', path], message, root: repo.root, home });
    });
  }

  it('Claude Code without a login or a key', async () => {
    count();
    const path = join(configs, 'claude.json');
    await writeFile(path, JSON.stringify({ agents: { claude: { binary: process.execPath } } }));
    await expectRefusedWithoutChange({
      args: ['run', 'goal', '--config', path],
      env: { ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '', CLAUDE_CONFIG_DIR: join(configs, 'no-claude-config') },
      message: /Claude Code is not logged in[\s\S]*export ANTHROPIC_API_KEY/,
      root: repo.root,
      home,
    });
  });

  it('--config naming a file that does not exist (was "Cannot read nope.json: ENOENT")', async () => {
    count();
    await expectRefusedWithoutChange({
      args: ['run', 'goal', '--config', 'nope.json'],
      message: new RegExp(`The config file ${repo.root}/nope\\.json does not exist\\.\\n.*--config`),
      root: repo.root,
      home,
    });
  });

  it('--config naming a directory (was "Cannot read: EISDIR")', async () => {
    count();
    await expectRefusedWithoutChange({ args: ['run', 'goal', '--config', configs], message: /The config file .*configs is a directory, not a file\.\n.*--config/, root: repo.root, home });
  });

  // Files that are not config files at all: before, /dev/zero ate memory until killed, a FIFO waited for ever, a
  // 60 MB file was read whole. Now each is refused from a stat of the open file, before any byte is parsed.
  for (const [name, path, message] of [
    ['--config /dev/zero (was memory until the kernel killed orch)', '/dev/zero', /The config file \/dev\/zero is a device, not a regular file\.\n.*--config/],
    ['--config /dev/null', '/dev/null', /The config file \/dev\/null is a device, not a regular file/],
  ] as const) {
    it(name, async () => {
      count();
      await expectRefusedWithoutChange({ args: ['run', 'goal', '--config', path], message, root: repo.root, home });
    });
  }

  it('--config naming a FIFO nobody writes to (was a hang)', async () => {
    count();
    const fifo = join(configs, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    await expectRefusedWithoutChange({ args: ['run', 'goal', '--config', fifo], message: /config\.fifo is a named pipe \(FIFO\), not a regular file/, root: repo.root, home });
  });

  it('a 60 MB config file (was read and parsed whole)', async () => {
    count();
    const big = join(configs, 'big.json');
    await writeFile(big, '{}');
    await truncate(big, 60 * 1024 * 1024); // sparse: 60 MB to stat, nothing on disk
    await expectRefusedWithoutChange({ args: ['run', 'goal', '--config', big], message: /big\.json is 60 MiB, more than the 1 MiB a config file may have[\s\S]*a few kilobytes/, root: repo.root, home });
  });

  it('an orch.config.json in the repository that is a symlink to /dev/zero', async () => {
    count();
    const own = await temp.repo({ files: { 'README.md': 'hello\n' } });
    await symlink('/dev/zero', join(own.root, 'orch.config.json'));
    await own.commit('link the config');
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /orch\.config\.json is a device, not a regular file\.\n {2}Remove or rename/, root: own.root, home });
  });

  it('an orch.config.json in the repository that is a directory', async () => {
    count();
    const own = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json/keep': '' } });
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /orch\.config\.json is a directory, not a file\.\n {2}Remove or rename/, root: own.root, home });
  });

  it('invalid JSON in the repository’s own orch.config.json', async () => {
    count();
    const own = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': '{ "agent": "command",, }' } });
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /orch\.config\.json is not valid JSON at line 1, column 22/, root: own.root, home });
  });
});

const commented = `// orch settings for this repository
{
  /* the fake agent stands in for a real one */
  "agent": "command",
  "agents": {
    "command": { "argv": ${JSON.stringify([process.execPath, fakeAgent, '{prompt}'])}, "env": { "FAKE_AGENT": ${JSON.stringify(JSON.stringify({ files: { 'x.txt': 'x\n' } }))} }, },
  },
  "timeouts": { "attemptSeconds": 120, }, // trailing commas too
  "checks": { "allowUnchecked": true, },
}
`;

describe.concurrent('config files that are valid JSON with comments work', () => {
  for (const [name, text] of [
    ['comments and trailing commas', commented],
    ['a UTF-8 byte order mark (was "not valid JSON at offset 0")', `\uFEFF${okConfig}`],
  ] as const) {
    it(name, async () => {
      count();
      const own = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': text } });
      const ownHome = join(own.dir, 'home');
      const before = await repoState(own.root);
      const report = await expectRunSucceeds(['run', 'add x.txt'], { cwd: own.root, home: ownHome });
      expect(report.run.target).toBe('main');
      expect(await own.git(['show', 'main:x.txt'])).toBe('x');
      expectOnlyOrchChanges(before, await repoState(own.root), 'main');
    });
  }
});

describe('after every case', () => {
  it('orch runs --json lists no run', async () => {
    const runs = await runOrch(['runs', '--json', '--all'], { cwd: repo.root, home });
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
