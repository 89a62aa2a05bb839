// GitHub end to end: an issue in the scripted GitHub becomes a run of the REAL Claude Code CLI (against the scripted
// model server); orch pushes the chosen attempt to a bare repository standing in for the GitHub remote, opens a pull
// request through the real Octokit over HTTP, and comments on the issue. Rate limits are waited out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditedRunReport } from '../../src/domain/run-report.ts';
import { git } from '../../src/git/index.ts';
import { openRepository } from '../../src/git/index.ts';
import { deliverPullRequest, openGitHub } from '../../src/github/index.ts';
import { claudeEnv, goodMath, useScriptedServers } from '../helpers/claude-run.ts';
import { githubToken, projectOnGitHub as onGitHub, useScriptedGitHubs } from '../helpers/github.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serveModel = useScriptedServers();
const startGitHub = useScriptedGitHubs();
const token = githubToken;

interface Delivered {
  pullRequest: { number: number; url: string; draft: boolean; updated: boolean; head: string };
}

/** A project with a failing test, its `origin` a bare repository (GitHub's stand-in) holding main. */
const projectOnGitHub = (github: Record<string, unknown> = {}) => onGitHub(temp, startGitHub, { github });

const fixingScript = [
  { tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } },
  { text: 'Fixed add().' },
];

describe('orch run --issue N --deliver pr', () => {
  it('fixes the issue with Claude Code, pushes a branch, opens a pull request with the report and Fixes #N, and comments on the issue', async () => {
    const model = await serveModel({ script: fixingScript });
    const { repo, remote, github, remoteMain } = await projectOnGitHub();
    github.addIssue({ title: 'unrelated chore' });
    const issue = github.addIssue({ title: 'add() subtracts instead of adding', body: 'test/math.test.js fails: add(2, 3) should be 5.', labels: ['orch'] });
    const localMain = await repo.git(['rev-parse', 'main']);
    const home = await temp.dir();

    const result = await runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token, GITHUB_TOKEN: '' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as AuditedRunReport & Delivered;
    expect(report.run.goal).toContain('add() subtracts instead of adding');
    expect(report.run.goal).toContain('add(2, 3) should be 5');

    // The pull request: from orch's own branch into main, not a draft (the checks passed), the report as its body.
    const pull = github.pulls.get(report.pullRequest.number);
    expect(pull).toMatchObject({ head: `orch/${report.run.id}/pr`, base: 'main', draft: false, state: 'open' });
    expect(pull?.title).toContain(`(#${issue.number})`);
    const winner = report.attempts[0];
    expect(pull?.body).toContain(`Fixes #${issue.number}`);
    expect(pull?.body).toContain('## Goal');
    expect(pull?.body).toContain(`| ${winner?.id ?? '?'} **(chosen)** | claude`);
    expect(pull?.body).toContain('## Why this one');
    expect(pull?.body).toContain('✅ test: `node --test`');
    expect(pull?.body).toMatch(/\*\*Cost:\*\* \$\d/);

    // The branch on the remote holds the fix; main on the remote and locally is untouched (the PR carries it).
    const pushed = await git(['--git-dir', remote, 'show', `refs/heads/${pull?.head ?? '?'}:src/math.js`], { cwd: '/' });
    expect(pushed.stdout.trim()).toBe(goodMath.trim());
    expect(pull?.headSha).toBe(winner?.headSha);
    expect((await git(['--git-dir', remote, 'rev-parse', 'refs/heads/main'], { cwd: '/' })).stdout.trim()).toBe(remoteMain);
    expect(await repo.git(['rev-parse', 'main'])).toBe(localMain);
    expect(github.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/git/refs'))).toEqual([]);

    // The issue heard when the run started and how it ended, with the pull request's link and the cost.
    const comments = github.issues.get(issue.number)?.comments.map((c) => c.body) ?? [];
    expect(comments).toHaveLength(2);
    expect(comments[0]).toContain(`orch started run \`${report.run.id}\``);
    expect(comments[1]).toContain(`run \`${report.run.id}\` succeeded`);
    expect(comments[1]).toContain(pull?.number === undefined ? '?' : `/pull/${pull.number}`);
    expect(comments[1]).toMatch(/Cost: \$\d/);
    expect(github.issues.get(1)?.comments).toEqual([]);
    expect(github.requestLog.every((r) => r.authorized)).toBe(true);
    expect(result.stderr).not.toContain(token);
    // The token is in no store file, no audit trail, no run settings (the database and its write-ahead log).
    for (const file of readdirSync(home).filter((name) => name.startsWith('orch.db'))) expect(readFileSync(join(home, file)).includes(token)).toBe(false);
    for (const file of readdirSync(join(repo.root, '.orch'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())) {
      expect(readFileSync(join(file.parentPath, file.name)).includes(token)).toBe(false);
    }

    // Delivering the same run again (as a resumed run does) updates its pull request instead of opening another,
    // and never rewinds its branch: a commit pushed on top meanwhile (as a feedback round pushes) stays.
    const onTop = await repo.git(['commit-tree', '-p', winner?.headSha ?? '?', '-m', 'a feedback round', `${winner?.headSha ?? '?'}^{tree}`]);
    await repo.git(['push', '--quiet', 'origin', `${onTop}:refs/heads/${pull?.head ?? '?'}`]);
    const client = openGitHub({ baseUrl: github.url, token, slug: { owner: 'acme', repo: 'widgets' } });
    const again = await deliverPullRequest(client, await openRepository(repo.root), report, { issue: issue.number });
    expect(again).toMatchObject({ number: pull?.number, updated: true, headSha: onTop });
    expect((await git(['--git-dir', remote, 'rev-parse', `refs/heads/${pull?.head ?? '?'}`], { cwd: '/' })).stdout.trim()).toBe(onTop);
    expect([...github.pulls.values()]).toHaveLength(1);
  });

  it('waits out a 403 rate limit (x-ratelimit-remaining: 0) and a 502, then opens the pull request', async () => {
    const model = await serveModel({ script: fixingScript });
    const { repo, github } = await projectOnGitHub();
    const issue = github.addIssue({ title: 'add() subtracts', body: 'fix it' });
    github.fault({ status: 502, method: 'GET', path: /\/issues\/\d+$/ });
    github.fault({ status: 403, method: 'POST', path: /\/pulls$/, rateLimitResetSeconds: 2 });
    const home = await temp.dir();

    const result = await runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as AuditedRunReport & Delivered;
    expect(report.pullRequest.number).toBeGreaterThan(0);
    expect(github.pulls.size).toBe(1);
    const creates = github.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'));
    expect(creates.map((r) => r.status)).toEqual([403, 201]);
    // It waited for the reset (2s ahead, whole seconds) rather than failing or hammering.
    expect((creates[1]?.at ?? 0) - (creates[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(result.stderr).toMatch(/GitHub primary rate limit on POST .*pulls: waiting \d+s, then going on/);
    expect(github.requestLog.filter((r) => r.method === 'GET' && /\/issues\/\d+$/.test(r.path)).map((r) => r.status)).toEqual([502, 200]);
  });

  it('opens a draft when the chosen attempt failed its checks', async () => {
    const model = await serveModel({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: 'export const add = (a, b) => a * b;\n' } }, { text: 'Done.' }] });
    const { repo, github } = await projectOnGitHub();
    const issue = github.addIssue({ title: 'add() subtracts', body: 'fix it' });
    const home = await temp.dir();
    const result = await runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token },
    });
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as AuditedRunReport & Delivered;
    expect(github.pulls.get(report.pullRequest.number)).toMatchObject({ draft: true });
    expect(github.pulls.get(report.pullRequest.number)?.body).toContain('❌ test');
    expect(github.issues.get(issue.number)?.comments.at(-1)?.body).toContain('draft: the checks did not pass');
  });

  it('with mergeVia github, waits while a required check fails, merges through the API once it passes, and never pushes to main', async () => {
    const model = await serveModel({ script: fixingScript });
    const { repo, remote, github, remoteMain } = await projectOnGitHub({ mergeVia: 'github', requiredChecks: ['ci'], checkPollSeconds: 0.3, checksTimeoutSeconds: 120, feedbackRounds: 0 });
    // feedbackRounds 0: a failing check is waited on (re-runs), not answered (github-feedback.test.ts answers it).
    const issue = github.addIssue({ title: 'add() subtracts', body: 'fix it' });
    const home = await temp.dir();
    const running = runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token },
    });
    const pull = await waitFor(() => [...github.pulls.values()][0], { what: 'the pull request', timeoutMs: 120_000 });
    const checkPolls = () => github.requestLog.filter((r) => r.path.endsWith('/check-runs')).length;
    // The required check has not reported yet, then fails: orch keeps waiting.
    await waitFor(() => checkPolls() >= 1, { what: 'orch to ask for the checks' });
    github.setCheckRuns(pull.head, [{ name: 'ci', status: 'completed', conclusion: 'failure' }]);
    const polledAtFailure = checkPolls();
    await waitFor(() => checkPolls() >= polledAtFailure + 2, { what: 'orch to see the failing check' });
    expect(pull.merged).toBe(false);
    github.setCheckRuns(pull.head, [{ name: 'ci', status: 'completed', conclusion: 'success' }]);

    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as AuditedRunReport & Delivered & { pullRequest: { merge: { merged: boolean } } };
    expect(report.pullRequest.merge.merged).toBe(true);
    expect(pull).toMatchObject({ merged: true, state: 'closed' });
    expect(github.issues.get(issue.number)).toMatchObject({ state: 'closed', closedBy: pull.number });
    expect(result.stderr).toMatch(/checks failing: ci failure; waiting/);
    // GitHub merged it; orch pushed only its own branch.
    expect((await git(['--git-dir', remote, 'rev-parse', 'refs/heads/main'], { cwd: '/' })).stdout.trim()).toBe(remoteMain);
    expect(github.issues.get(issue.number)?.comments.at(-1)?.body).toContain('Merged through GitHub once its checks passed');
  });

  it('refuses bad input before anything runs: no token, a missing issue, both a goal and an issue', async () => {
    const { repo, github } = await projectOnGitHub();
    const home = await temp.dir();
    const noToken = await runOrch(['run', '--issue', '1', '--deliver', 'pr'], { cwd: repo.root, home, env: { GH_TOKEN: '', GITHUB_TOKEN: '', PATH: '/usr/bin:/bin' } });
    expect(noToken.exitCode).toBe(2);
    expect(noToken.stderr).toMatch(/No GitHub token.*GH_TOKEN/s);
    const missing = await runOrch(['run', '--issue', '7'], { cwd: repo.root, home, env: { GH_TOKEN: token } });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no issue #7 in acme/widgets');
    github.addIssue({ title: 'x' });
    const both = await runOrch(['run', 'a goal too', '--issue', '1'], { cwd: repo.root, home, env: { GH_TOKEN: token } });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('either a goal or --issue');
    const badDeliver = await runOrch(['run', 'x', '--deliver', 'email'], { cwd: repo.root, home });
    expect(badDeliver.exitCode).toBe(2);
    expect(badDeliver.stderr).toContain('--deliver must be merge or pr');
    expect(github.pulls.size).toBe(0);
    expect(github.issues.get(1)?.comments).toEqual([]);
  });
});
