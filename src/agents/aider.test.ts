// The Aider adapter against test/fixtures/fake-aider.mjs, a stand-in that behaves as Aider's docs say (Aider itself is
// Python and cannot be installed here): argv, environment, files in the worktree, and `orch run --agent aider` end to end.
import { existsSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { runOrch } from '../../test/helpers/orch-cli.ts';
import { guard } from '../../test/helpers/slack.ts';
import { run } from '../process/run.ts';
import type { AgentSpec } from './adapter.ts';
import { buildAiderInvocation, createAiderAdapter, type AiderAdapterOptions } from './aider.ts';
import { aiderCachePattern } from './aider-files.ts';
import { runAgent, type AgentRun } from './run-agent.ts';

const fakeAider = fileURLToPath(new URL('../../test/fixtures/fake-aider.mjs', import.meta.url));
const temp = useTempRepos();

/** An `aider` executable: a shell script running the fake with this Node, so PATH need not hold `node`. */
async function aiderBinary(): Promise<string> {
  const path = join(await temp.dir(), 'aider');
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${fakeAider}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

interface Space {
  cwd: string;
  stateDir: string;
  record: string;
  git: (args: readonly string[], cwd?: string) => Promise<string>;
  commonDir: string;
}

/** A linked worktree of a fresh repository, as orch gives every attempt. */
async function worktree(): Promise<Space> {
  const repo = await temp.repo({ files: { 'README.md': 'hello\n', '.gitignore': 'node_modules/\n' } });
  const cwd = join(repo.dir, 'attempt');
  await repo.git(['worktree', 'add', '--quiet', '-b', 'attempt', cwd]);
  return { cwd, stateDir: join(repo.dir, 'state'), record: join(repo.dir, 'record.json'), git: repo.git, commonDir: join(repo.root, '.git') };
}

function spec(space: Space, plan: Record<string, unknown>, overrides: Partial<AgentSpec> = {}): AgentSpec {
  return {
    prompt: 'Add the greeting.',
    cwd: space.cwd,
    stateDir: space.stateDir,
    model: 'openai/fake-coder',
    env: { OPENAI_API_KEY: 'sk-fake', FAKE_AIDER: JSON.stringify({ record: space.record, ...plan }) },
    ...overrides,
  };
}

async function runAider(agentSpec: AgentSpec, options: AiderAdapterOptions = {}): Promise<AgentRun> {
  return runAgent({ adapter: createAiderAdapter({ binary: await aiderBinary(), ...options }), spec: agentSpec, totalTimeoutMs: guard(30_000) });
}

const recorded = (space: Space) => JSON.parse(readFileSync(space.record, 'utf8')) as { argv: string[]; message: string | null; env: Record<string, string | null> };

describe('Aider invocation', () => {
  it('passes the documented headless options and the prompt as one "--message=" element', () => {
    const invocation = buildAiderInvocation({ prompt: 'Do it.', cwd: '/nonexistent/work', stateDir: '/tmp/orch-aider-state', env: { OPENAI_API_BASE: 'http://127.0.0.1:1/v1' }, model: 'gpt-4o' }, { binary: '/opt/aider', env: { OPENAI_API_KEY: 'sk-a', OPENAI_API_BASE: 'http://other' }, mapTokens: 0, args: ['--edit-format', 'whole'] });
    expect(invocation.argv).toEqual([
      '/opt/aider',
      '--yes-always',
      '--no-stream',
      '--no-pretty',
      '--no-auto-commits',
      '--no-dirty-commits',
      '--no-gitignore',
      '--no-check-update',
      '--no-show-release-notes',
      '--no-analytics',
      '--no-show-model-warnings',
      '--no-detect-urls',
      '--no-suggest-shell-commands',
      '--chat-history-file',
      expect.stringMatching(/^\/tmp\/orch-aider-state\/history\/[0-9a-f]{16}\.chat\.md$/) as unknown,
      '--input-history-file',
      expect.stringMatching(/^\/tmp\/orch-aider-state\/history\/[0-9a-f]{16}\.input$/) as unknown,
      '--model',
      'gpt-4o',
      '--map-tokens',
      '0',
      '--edit-format',
      'whole',
      '--message=Do it.',
    ]);
    // Keys and endpoints go in the environment, the spec's over the config's; never on the command line.
    expect(invocation.env).toEqual({ OPENAI_API_KEY: 'sk-a', OPENAI_API_BASE: 'http://127.0.0.1:1/v1' });
    expect(invocation.stdin).toBeUndefined();
  });

  it('keeps a hostile prompt one element, and aider receives it byte for byte', async () => {
    const space = await worktree();
    const prompt = `-r --version; $(touch pwned) \`touch pwned2\` "quoted" 'single'\n--model=evil --message other\n-x`;
    const agentSpec = spec(space, {});
    const invocation = buildAiderInvocation({ ...agentSpec, prompt });
    expect(invocation.argv.filter((arg) => arg.includes('--version'))).toEqual([`--message=${prompt}`]);
    const result = await runAider({ ...agentSpec, prompt });
    expect(result.process.exitCode).toBe(0);
    expect(recorded(space).message).toBe(prompt);
    expect(existsSync(join(space.cwd, 'pwned'))).toBe(false);
    expect(existsSync(join(space.cwd, 'pwned2'))).toBe(false);
    expect(result.classification).toBe('ok');
  });

  it('uses --message= because argparse takes "--message -x" for a missing value (exit 2)', async () => {
    const space = await worktree();
    const split = await run([process.execPath, fakeAider, '--message', '-x'], { cwd: space.cwd, env: { ...process.env, OPENAI_API_KEY: 'k' }, totalTimeoutMs: guard(30_000) });
    expect(split.exitCode).toBe(2);
    expect(split.stderr).toContain('expected one argument');
    const joined = await runAider(spec(space, {}, { prompt: '-x' }));
    expect(recorded(space).message).toBe('-x');
    expect(joined.classification).toBe('ok');
  });

  it('sends a prompt too long for argv through --message-file under the state directory', async () => {
    const space = await worktree();
    const prompt = `Start. ${'word '.repeat(40_000)}End.`;
    const invocation = buildAiderInvocation(spec(space, {}, { prompt }));
    const file = invocation.argv.at(-1) ?? '';
    expect(invocation.argv.at(-2)).toBe('--message-file');
    expect(file.startsWith(join(space.stateDir, 'messages'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(prompt);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const result = await runAider(spec(space, {}, { prompt }));
    expect(recorded(space).message).toBe(prompt);
    expect(result.classification).toBe('ok');
  });

  it('refuses nothing silently: an option aider does not know is exit 2 and fatal', async () => {
    const space = await worktree();
    const logPath = join(space.stateDir, 'log.jsonl');
    const result = await runAgent({ adapter: createAiderAdapter({ binary: await aiderBinary(), args: ['--no-such-option'] }), spec: spec(space, {}), logPath });
    expect(result.process.exitCode).toBe(2);
    expect(readFileSync(logPath, 'utf8')).toContain('unrecognized arguments: --no-such-option');
    expect(result.classification).toBe('fatal');
  });
});

describe('Aider runs', () => {
  it('edits files in the worktree, reports usage, and leaves no aider files for the commit', async () => {
    const space = await worktree();
    const plan = { rounds: [{ reply: ['Adding the greeting.'], edits: { 'src/hello.txt': 'hello\n' }, tokens: { sent: 2100, received: 131 }, cost: 0.0013 }] };
    const result = await runAider(spec(space, plan));

    expect(result.classification).toBe('ok');
    expect(readFileSync(join(space.cwd, 'src/hello.txt'), 'utf8')).toBe('hello\n');
    expect(result.events).toContainEqual({ kind: 'tool_use', tool: 'Edit', summary: 'src/hello.txt' });
    expect(result.result).toMatchObject({ isError: false, turns: 1, costUsd: 0.0013, usage: { inputTokens: 2100, outputTokens: 131 }, text: 'Adding the greeting.' });
    expect(result.finalText).toBe('Adding the greeting.');
    // Only the edit is left for orch to commit: no repo-map cache, no history files, .gitignore untouched.
    expect(await space.git(['status', '--porcelain', '--untracked-files=all'], space.cwd)).toBe('?? src/hello.txt');
    expect(existsSync(join(space.cwd, '.aider.tags.cache.v4'))).toBe(true);
    expect(readFileSync(join(space.commonDir, 'info', 'exclude'), 'utf8')).toContain(aiderCachePattern);
    const argv = recorded(space).argv;
    expect(existsSync(argv[argv.indexOf('--chat-history-file') + 1] ?? '')).toBe(true);
    expect(readFileSync(join(space.cwd, '.gitignore'), 'utf8')).toBe('node_modules/\n');
    // A second run does not write the exclude line again.
    await runAider(spec(space, plan));
    expect(readFileSync(join(space.commonDir, 'info', 'exclude'), 'utf8').split(aiderCachePattern)).toHaveLength(2);
  });

  it('passes keys and the endpoint through the environment', async () => {
    const space = await worktree();
    const plan = { key: 'sk-right', apiBase: 'http://127.0.0.1:9/v1' };
    const good = await runAider(spec(space, plan, { env: { OPENAI_API_KEY: 'sk-right', OPENAI_API_BASE: 'http://127.0.0.1:9/v1', FAKE_AIDER: JSON.stringify({ record: space.record, ...plan }) } }));
    expect(good.classification).toBe('ok');
    expect(recorded(space).env).toMatchObject({ OPENAI_API_KEY: 'sk-right', OPENAI_API_BASE: 'http://127.0.0.1:9/v1' });
    expect(recorded(space).argv.some((arg) => arg.includes('sk-right'))).toBe(false);

    const wrongKey = await runAider(spec(space, plan, { env: { OPENAI_API_KEY: 'sk-wrong', OPENAI_API_BASE: 'http://127.0.0.1:9/v1', FAKE_AIDER: JSON.stringify(plan) } }));
    expect(wrongKey.process.exitCode).toBe(0);
    expect(wrongKey.result).toMatchObject({ isError: true, subtype: 'AuthenticationError', apiErrorStatus: 401 });
    expect(wrongKey.classification).toBe('auth');

    const wrongBase = await runAider(spec(space, plan, { env: { OPENAI_API_KEY: 'sk-right', OPENAI_API_BASE: 'http://127.0.0.1:10/v1', FAKE_AIDER: JSON.stringify(plan) } }));
    expect(wrongBase.classification).toBe('transient');
  });

  it('classifies a rate limit that outlasts aider\'s retries, and one that passes', async () => {
    const space = await worktree();
    const limited = await runAider(spec(space, { rounds: [{ error: { type: 'RateLimitError', retries: 3 } }] }));
    expect(limited.process.exitCode).toBe(0);
    expect(limited.events.filter((event) => event.kind === 'retry')).toHaveLength(3);
    expect(limited.classification).toBe('rate_limited');

    const passing = await runAider(spec(space, { rounds: [{ error: { type: 'InternalServerError', retries: 2, recover: true }, edits: { 'a.txt': 'a\n' } }] }));
    expect(passing.classification).toBe('ok');
    expect(existsSync(join(space.cwd, 'a.txt'))).toBe(true);
  });

  it('answers read-only in ask mode with --dry-run, writing nothing', async () => {
    const space = await worktree();
    const agentSpec = spec(space, { rounds: [{ reply: ['{"score": 8,', ' "pass": true}'], edits: { 'nope.txt': 'x' } }] }, { readOnly: true });
    expect(buildAiderInvocation(agentSpec).argv).toEqual(expect.arrayContaining(['--chat-mode', 'ask', '--dry-run']));
    const result = await runAider(agentSpec);
    expect(result.classification).toBe('ok');
    expect(existsSync(join(space.cwd, 'nope.txt'))).toBe(false);
    expect(result.finalText).toBe('{"score": 8,\n "pass": true}');
    expect(await space.git(['status', '--porcelain', '--untracked-files=all'], space.cwd)).toBe('');
  });
  it('writes nothing into the user\'s own checkout (a comparison runs there): no repo map, no cache', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hello\n' } });
    const space: Space = { cwd: repo.root, stateDir: join(repo.dir, 'state'), record: join(repo.dir, 'record.json'), git: repo.git, commonDir: join(repo.root, '.git') };
    const agentSpec = spec(space, { rounds: [{ reply: ['A is better.'] }] }, { readOnly: true });
    expect(buildAiderInvocation(agentSpec, { mapTokens: 2048 }).argv).toEqual(expect.arrayContaining(['--map-tokens', '0']));
    const result = await runAider(agentSpec, { mapTokens: 2048 });
    expect(result.classification).toBe('ok');
    expect(await repo.git(['status', '--porcelain', '--untracked-files=all', '--ignored'])).toBe('');
    expect(existsSync(join(repo.root, '.git', 'info', 'exclude')) ? readFileSync(join(repo.root, '.git', 'info', 'exclude'), 'utf8') : '').not.toContain('aider');
  });
});

describe('orch run --agent aider', () => {
  it('runs the fake aider in a worktree, commits its edit, checks it and merges it', async () => {
    const binary = await aiderBinary();
    const recordPath = join(await temp.dir(), 'record.json');
    // The fake never calls its API, but preflight connects to the base URL the environment names: something listens.
    const api = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void api.close());
    const apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}/v1`;
    const plan = { key: 'sk-orch', apiBase, record: recordPath, rounds: [{ reply: ['Adding the feature file.'], edits: { 'src/feature.txt': 'done\n' }, tokens: { sent: 2100, received: 131 }, cost: 0.0013 }] };
    const config = {
      model: 'openai/fake-coder',
      agents: { aider: { binary, env: { OPENAI_API_KEY: 'sk-orch', OPENAI_API_BASE: apiBase, FAKE_AIDER: JSON.stringify(plan) } } },
      // The fake Aider records what it got in a file outside its worktree, which the OS sandbox rightly hides.
      sandbox: { mode: 'none' },
    };
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': JSON.stringify(config) } });
    const home = await temp.dir();

    const result = await runOrch(['run', 'add the feature file', '--agent', 'aider', '--target', 'main', '--test-cmd', 'test -f src/feature.txt', '--json'], { cwd: repo.root, home });
    expect(result.stderr).toContain('merge merged');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { run: { status: string }; attempts: { agent: string; branch: string; status: string; turns: number; inputTokens: number; outputTokens: number; costUsd: number }[]; merges: { status: string }[] };
    expect(report.run.status).toBe('succeeded');
    const attempt = report.attempts[0];
    expect(attempt).toMatchObject({ agent: 'aider', turns: 1, inputTokens: 2100, outputTokens: 131, costUsd: 0.0013 });
    expect(await repo.git(['show', 'main:src/feature.txt'])).toBe('done');
    // The attempt's commit holds the edit and nothing of aider's own.
    expect((await repo.git(['ls-tree', '-r', '--name-only', attempt?.branch ?? ''])).split('\n')).toEqual(['README.md', 'orch.config.json', 'src/feature.txt']);
    // The worktree is gone: the ignored cache does not keep it.
    expect(await repo.git(['worktree', 'list', '--porcelain'])).not.toContain(home);
    const seen = JSON.parse(readFileSync(recordPath, 'utf8')) as { argv: string[]; message: string };
    expect(seen.message).toContain('add the feature file');
    expect(seen.argv).toEqual(expect.arrayContaining(['--model', 'openai/fake-coder', '--yes-always', '--no-auto-commits']));
  });
});
