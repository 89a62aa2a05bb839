// Merging under the repository's rules, end to end: the REAL Claude Code CLI (against the scripted model server)
// fixes an issue, orch opens the pull request through the real Octokit against the scripted GitHub, whose merges
// land on a bare repository standing in for the remote. With a merge queue required, orch enqueues and GitHub's
// queue merges; with a target that moved and conflicts, orch updates the pull request's branch through the
// resolver agent and it merges. Either way the target moves only through GitHub's merge, never through orch's push.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditedRunReport } from '../../src/domain/run-report.ts';
import { git } from '../../src/git/index.ts';
import { claudeEnv, goodMath, useScriptedServers } from '../helpers/claude-run.ts';
import { githubToken, projectOnGitHub as onGitHub, useScriptedGitHubs } from '../helpers/github.ts';
import { useTempRepos, type TempRepo } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serveModel = useScriptedServers();
const startGitHub = useScriptedGitHubs();
const token = githubToken;

interface Merged {
  pullRequest: { number: number; merge: { merged: boolean; reason: string; via?: string; branchUpdates?: number } | null };
}

const inRemote = async (remote: string, args: string[]): Promise<string> => (await git(['--git-dir', remote, ...args], { cwd: '/' })).stdout.trim();

/** The math project on a bare remote whose merges GitHub (the scripted one) makes itself, as merge commits. */
const projectOnGitHub = () => onGitHub(temp, startGitHub, { landMerges: true, github: { mergeVia: 'github', checkPollSeconds: 0.3, checksTimeoutSeconds: 180 } });

const fixing = { name: 'fix', match: { prompt: 'add() subtracts' }, turns: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'Fixed add().' }] };

function runOnIssue(repo: TempRepo, home: string, env: Record<string, string>, issue: number) {
  return runOrch(['run', '--issue', String(issue), '--deliver', 'pr', '--test-cmd', 'node --test', '--json', '--no-tui'], { cwd: repo.root, home, env: { ...env, GH_TOKEN: token } });
}

describe('mergeVia github under the repository rules', () => {
  it('enqueues the pull request where main requires a merge queue; the queue merges it after its checks', async () => {
    const model = await serveModel({ scripts: [fixing] });
    const { repo, remote, github } = await projectOnGitHub();
    github.requireMergeQueue('main', { requiredChecks: ['queue-ci'] });
    const issue = github.addIssue({ title: 'add() subtracts instead of adding', body: 'fix it' });
    const mainBefore = await inRemote(remote, ['rev-parse', 'refs/heads/main']);
    const home = await temp.dir();
    const running = runOnIssue(repo, home, claudeEnv(model, join(home, 'claude')), issue.number);

    const queued = await waitFor(() => github.mergeQueue('main')[0], { what: 'the pull request in the merge queue', timeoutMs: 180_000 });
    const pull = github.pulls.get(queued.pull);
    expect(pull?.merged).toBe(false);
    // The queue's check runs on its merge group, then the queue merges.
    github.setCheckRuns(github.mergeGroupRef(queued.pull) ?? '?', [{ name: 'queue-ci', status: 'completed', conclusion: 'success' }]);

    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as AuditedRunReport & Merged;
    expect(report.pullRequest.merge).toMatchObject({ merged: true, via: 'merge_queue' });
    expect(pull).toMatchObject({ merged: true, state: 'closed' });
    expect(result.stderr).toContain('in the merge queue at position 1');
    // orch never called the REST merge (the rules forbid it) and main moved once: GitHub's merge commit of the PR.
    expect(github.requestLog.filter((r) => r.path.endsWith('/merge'))).toEqual([]);
    expect(await inRemote(remote, ['rev-parse', 'refs/heads/main'])).toBe(pull?.mergeCommitSha);
    expect(await inRemote(remote, ['rev-parse', 'refs/heads/main^1', 'refs/heads/main^2'])).toBe(`${mainBefore}\n${pull?.headSha ?? '?'}`);
    expect(await inRemote(remote, ['show', 'refs/heads/main:src/math.js'])).toBe(goodMath.trim());
    expect(github.issues.get(issue.number)).toMatchObject({ state: 'closed', closedBy: pull?.number });
  });

  it('reports a pull request the merge queue removed, and the run says it was not merged', async () => {
    const model = await serveModel({ scripts: [fixing] });
    const { repo, remote, github } = await projectOnGitHub();
    github.requireMergeQueue('main', { requiredChecks: ['queue-ci'] });
    const issue = github.addIssue({ title: 'add() subtracts instead of adding', body: 'fix it' });
    const mainBefore = await inRemote(remote, ['rev-parse', 'refs/heads/main']);
    const home = await temp.dir();
    const running = runOnIssue(repo, home, claudeEnv(model, join(home, 'claude')), issue.number);
    const queued = await waitFor(() => github.mergeQueue('main')[0], { what: 'the pull request in the merge queue', timeoutMs: 180_000 });
    github.setCheckRuns(github.mergeGroupRef(queued.pull) ?? '?', [{ name: 'queue-ci', status: 'completed', conclusion: 'failure' }]);

    const result = await running;
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as AuditedRunReport & Merged;
    expect(report.pullRequest.merge).toEqual({ merged: false, via: 'merge_queue', reason: "removed from the merge queue: the merge group's required check queue-ci ended failure" });
    expect(await inRemote(remote, ['rev-parse', 'refs/heads/main'])).toBe(mainBefore);
    expect(github.issues.get(issue.number)?.comments.at(-1)?.body).toContain('Not merged: removed from the merge queue');
  });

  it('updates a pull request that conflicts with a moved main through the resolver agent, and it merges', async () => {
    const resolved = 'export const add = (a, b) => a + b; // adds two numbers\nexport const sub = (a, b) => a - b;\n';
    const model = await serveModel({
      scripts: [
        { name: 'resolver', match: { prompt: 'You are resolving a git merge conflict' }, turns: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: resolved } }, { text: 'Kept the fix and sub().' }] },
        fixing,
      ],
    });
    const { repo, remote, github } = await projectOnGitHub();
    // Someone else's work lands on main on GitHub: the same line of src/math.js, a new function and its test.
    const other = await temp.repo({ files: {} });
    await other.git(['fetch', '--quiet', remote, 'main']);
    await other.git(['reset', '--quiet', '--hard', 'FETCH_HEAD']);
    await other.write('src/math.js', 'export const add = (a, b) => a - b; // adds two numbers\nexport const sub = (a, b) => a - b;\n');
    await other.write('test/sub.test.js', "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sub } from '../src/math.js';\n\ntest('sub', () => assert.equal(sub(5, 3), 2));\n");
    await other.git(['add', '-A']);
    await other.git(['commit', '--quiet', '-m', 'add sub()']);
    await other.git(['push', '--quiet', remote, 'HEAD:refs/heads/main']);
    const movedMain = await inRemote(remote, ['rev-parse', 'refs/heads/main']);

    const issue = github.addIssue({ title: 'add() subtracts instead of adding', body: 'fix it' });
    const home = await temp.dir();
    const result = await runOnIssue(repo, home, claudeEnv(model, join(home, 'claude')), issue.number);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as AuditedRunReport & Merged;
    expect(report.pullRequest.merge).toMatchObject({ merged: true, via: 'api', branchUpdates: 1 });
    expect(result.stderr).toMatch(/conflicts with main; merging main into orch\/.*\/pr \(update 1 of 3\)/);
    expect(result.stderr).toContain('conflicts in src/math.js resolved by an agent; checks passed');
    expect(model.requestLog.some((r) => r.script === 'resolver')).toBe(true);

    const pull = github.pulls.get(report.pullRequest.number);
    const attemptHead = report.attempts[0]?.headSha ?? '?';
    // The branch orch pushed: its fix merged with the moved main (both parents), the resolver's file in it.
    expect(await inRemote(remote, ['rev-parse', `${pull?.headSha ?? '?'}^1`, `${pull?.headSha ?? '?'}^2`])).toBe(`${attemptHead}\n${movedMain}`);
    // main moved once, by GitHub's merge of the updated pull request; both sides' work is on it.
    expect(await inRemote(remote, ['rev-parse', 'refs/heads/main'])).toBe(pull?.mergeCommitSha);
    expect(await inRemote(remote, ['rev-parse', 'refs/heads/main^1'])).toBe(movedMain);
    expect(await inRemote(remote, ['show', 'refs/heads/main:src/math.js'])).toBe(resolved.trim());
    expect(await inRemote(remote, ['show', 'refs/heads/main:test/sub.test.js'])).toContain('sub(5, 3)');
    // The user's checkout did not move, and orch left no fetched refs or worktree branches behind.
    expect(await repo.git(['for-each-ref', '--format=%(refname)', 'refs/orch'])).toBe('');
    expect(await repo.git(['for-each-ref', '--format=%(refname)', 'refs/heads/orch/*/pr-update'])).toBe('');
  });
});
