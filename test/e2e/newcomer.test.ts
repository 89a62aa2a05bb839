// The README's "Using it on your repository", followed literally by a newcomer: `scripts/dev setup` put the agent
// CLIs in orch's own node_modules/.bin (on nobody's PATH), then `orch init` and `orch run` in their project.
import { writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/process/which.ts';
import { builtinStrategyNames } from '../../src/strategies/registry.ts';
import { claudeConfig, claudeEnv, goodMath, mathProject, useScriptedServers } from '../helpers/claude-run.ts';
import { git } from '../../src/git/exec.ts';
import { hashFiles } from '../helpers/bad-input.ts';
import { useTempRepos, type TempRepo } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, repoRoot, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

/** A newcomer's PATH: orch's bin/ (as the README exports it), node, the system's folders; no node_modules/.bin. */
const newcomerPath = [join(repoRoot, 'bin'), dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);

describe("the README's path for a newcomer", () => {
  it('orch init then orch run finds the Claude Code that setup installed in orch\'s node_modules/.bin', async () => {
    // What makes the test mean something: claude is not on this PATH.
    expect(findExecutable('claude', '/', newcomerPath)).toBeUndefined();
    const server = await serve({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'Fixed add.' }] });
    const repo = await temp.repo({ files: mathProject });
    const home = await temp.dir();
    const env = { PATH: newcomerPath, ...claudeEnv(server, join(home, 'claude-config')) };

    const init = await runOrch(['init'], { cwd: repo.root, home, env });
    expect(init.exitCode, init.stderr).toBe(0);
    // The template names every agent orch drives.
    const template = await repo.read('orch.config.json');
    for (const agent of ['claude', 'codex', 'command', 'aider', 'gemini', 'opencode']) expect(template).toContain(`"${agent}"`);
    const mainBefore = await repo.commit('orch config');

    const result = await runOrch(['run', 'fix the failing add test', '--test-cmd', 'node --test', '--no-tui', '--json'], { cwd: repo.root, home, env, timeoutMs: 240_000 });
    expect(result.stderr).not.toContain('was not found');
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { run: { status: string }; merges: { status: string; fromSha: string; toSha: string | null }[] };
    expect(report.run.status).toBe('succeeded');
    expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
    // The merge record says where main moved from and to (a fast-forward: two different commits, not the head twice).
    expect(report.merges[0]).toMatchObject({ status: 'merged', fromSha: mainBefore, toSha: await repo.git(['rev-parse', 'main']) });
    expect(report.merges[0]?.fromSha).not.toBe(report.merges[0]?.toSha);
  }, 300_000);

  it('orch doctor names each agent program it found (orch\'s own copy too) and how to install the missing ones', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hi\n' } });
    const home = await temp.dir();
    const result = await runOrch(['doctor', '--json'], { cwd: repo.root, home, env: { PATH: newcomerPath } });
    expect(result.exitCode, result.stderr).toBe(0);
    const agents = (JSON.parse(result.stdout) as { agents: { agent: string; path: string | null; install: string }[] }).agents;
    expect(agents.find((a) => a.agent === 'claude')?.path).toBe(join(repoRoot, 'node_modules', '.bin', 'claude'));
    expect(agents.find((a) => a.agent === 'aider')).toMatchObject({ path: null, install: expect.stringContaining('pip install') as string });
    const text = await runOrch(['doctor'], { cwd: repo.root, home, env: { PATH: newcomerPath } });
    expect(text.stdout).toMatch(/aider: 'aider' not installed\. Install Aider \(python -m pip install/);
  });
});

interface MergeReport {
  run: { id: string; status: string };
  merges: { status: string; fromSha: string; toSha: string | null; message: string }[];
}

/** The user's tree as orch must leave it: every byte, the index, HEAD (the audit trail in .orch/ aside). */
async function userTree(root: string) {
  const files = Object.fromEntries(Object.entries(hashFiles(root)).filter(([path]) => !path.startsWith('.orch/') && !path.startsWith('.git/')));
  const status = await git(['status', '--porcelain=v1', '--untracked-files=all', '--', '.', ':(exclude).orch'], { cwd: root });
  const head = await git(['symbolic-ref', 'HEAD'], { cwd: root });
  return { files, status: status.stdout, head: head.stdout };
}

describe('a target checked out with local changes', () => {
  const dirtyStates: [string, (repo: TempRepo) => Promise<string>, string[]][] = [
    ['unstaged changes', async (repo) => (await repo.write('README.md', 'my edit\n'), repo.root), []],
    ['staged changes only', async (repo) => (await repo.write('new.txt', 'staged\n'), await repo.git(['add', 'new.txt']), repo.root), []],
    [
      'changes in another worktree holding the target',
      async (repo) => {
        const other = join(repo.dir, 'wt');
        await repo.git(['worktree', 'add', '--quiet', '-b', 'feature', other]);
        await writeFile(join(other, 'README.md'), 'changed there\n');
        return other;
      },
      ['--target', 'feature'],
    ],
  ];
  for (const [name, makeDirty, flags] of dirtyStates) {
    it(`runs, and leaves the result on orch/<run>/result without touching that tree (${name})`, async () => {
      const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ files: { 'fix.txt': 'fixed\n' } }) } });
      const home = await temp.dir();
      const dirtyTree = await makeDirty(repo);
      const target = flags[1] ?? 'main';
      const targetBefore = await repo.git(['rev-parse', target]);
      const before = await userTree(dirtyTree);

      const result = await runOrch(['run', 'add the fix', '--no-tui', '--json', ...flags], { cwd: repo.root, home });
      const report = JSON.parse(result.stdout) as MergeReport;
      const merge = report.merges[0];
      expect(merge?.status, result.stderr).toBe('left_on_branch');
      expect(merge?.message).toContain(`with local changes, so orch did not move it. The result is on branch orch/${report.run.id}/result`);
      expect(merge?.message).toContain(`To take it: commit or stash your changes, then cd ${dirtyTree} && git merge --ff-only orch/${report.run.id}/result`);
      // The record says where the target was and where the result is: two different commits.
      expect(merge?.fromSha).toBe(targetBefore);
      expect(merge?.toSha).toBe(await repo.git(['rev-parse', `orch/${report.run.id}/result`]));
      expect(merge?.toSha).not.toBe(merge?.fromSha);
      expect(await repo.git(['show', `orch/${report.run.id}/result:fix.txt`])).toBe('fixed');
      // The printed end says so, and the user's tree and target did not move.
      expect(result.stderr).toContain(`orch/${report.run.id}/result`);
      expect(await repo.git(['rev-parse', target])).toBe(targetBefore);
      expect(await userTree(dirtyTree)).toEqual(before);
    });
  }
});

describe('what a newcomer reads', () => {
  it('an attempt the run budget kept from starting says so, never "agent running (pid null)"; its checks "not run", not "none configured"', async () => {
    const expensive = { input_tokens: 200_000, output_tokens: 10 }; // about $1 at the CLI's default model prices
    const server = await serve({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath }, usage: expensive }, { text: 'done' }] });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=2', '--max-agents', '1', '--max-run-cost', '0.5', '--test-cmd', 'node --test', '--no-tui'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'c')),
    });
    expect(result.stderr).toMatch(/agent running \(pid \d+\)/);
    expect(result.stderr).not.toContain('pid null');
    expect(result.stderr).not.toContain('none configured');
    expect(result.stderr).toMatch(/checks: not run: the attempt failed \(budget\) → fail/);
    // The first turn alone passes the budget: the running attempt stops there, and the second never starts.
    expect(result.stderr).toMatch(/attempt failed \(budget\).*stopped: the budget was used up/);
    expect(result.stderr).toMatch(/attempt failed \(budget\).*this attempt did not start/);
  });

  it('orch run --help names every built-in strategy', async () => {
    const home = await temp.dir();
    const help = await runOrch(['run', '--help'], { cwd: home, home });
    const strategyHelp = /--strategy <name\|path>\s+([\s\S]*?)\(default/.exec(help.stdout)?.[1]?.replace(/\s+/g, ' ') ?? '';
    expect(builtinStrategyNames()).toContain('plan');
    for (const name of builtinStrategyNames()) expect(strategyHelp).toContain(name);
  });

  it('orch runs --repo lists that repository\'s runs only, from anywhere; a bad --repo is refused', async () => {
    const home = await temp.dir();
    const config = fakeAgentConfig({ files: { 'x.txt': 'x\n' } });
    const first = await temp.repo({ files: { 'README.md': 'one\n', 'orch.config.json': config } });
    const second = await temp.repo({ files: { 'README.md': 'two\n', 'orch.config.json': config } });
    const runIn = async (repo: TempRepo) => (JSON.parse((await runOrch(['run', 'add x', '--json'], { cwd: repo.root, home })).stdout) as { run: { id: string } }).run.id;
    const firstRun = await runIn(first);
    const secondRun = await runIn(second);
    const listed = await runOrch(['runs', '--repo', first.root, '--json'], { cwd: second.root, home });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((run) => run.id)).toEqual([firstRun]);
    const fromSubdir = await runOrch(['runs', '--repo', join(second.root, '.orch'), '--json'], { cwd: home, home });
    expect((JSON.parse(fromSubdir.stdout) as { id: string }[]).map((run) => run.id)).toEqual([secondRun]);
    const notRepo = await runOrch(['runs', '--repo', home], { cwd: first.root, home });
    expect(notRepo.exitCode).toBe(2);
    expect(notRepo.stderr).toContain('not a git repository');
    const both = await runOrch(['runs', '--repo', first.root, '--all'], { cwd: first.root, home });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/--all and --repo contradict each other[\s\S]*Give one/);
  });
});
