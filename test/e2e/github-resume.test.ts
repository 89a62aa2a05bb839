// Resuming a `--deliver pr` run whose orch was killed (SIGKILL) while it delivered: the run itself had ended, its
// branch was pushed, the pull request not yet opened. `orch resume` delivers again; a second resume updates the pull
// request it opened instead of opening another. Real Claude Code against the scripted model server, real Octokit
// against the scripted GitHub, a bare repository as the GitHub remote.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../src/git/index.ts';
import { supervise } from '../../src/process/supervise.ts';
import { claudeEnv, goodMath, useScriptedServers } from '../helpers/claude-run.ts';
import { githubToken, projectOnGitHub as onGitHub, useScriptedGitHubs } from '../helpers/github.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { guard } from '../helpers/slack.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serveModel = useScriptedServers();
const startGitHub = useScriptedGitHubs();
const token = githubToken;

interface Resumed {
  run: { id: string; status: string };
  attempts: { id: string; headSha: string | null }[];
  pullRequest: { number: number; updated: boolean; head: string; headSha: string };
}

describe('orch resume of a --deliver pr run killed while delivering', () => {
  it('opens exactly one pull request, at the final head, and a second resume updates it', async () => {
    const model = await serveModel({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'Fixed add().' }] });
    const { repo, remote, github } = await onGitHub(temp, startGitHub);
    const home = await temp.dir();
    const env = { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token, GITHUB_TOKEN: '' };
    // Opening the pull request fails (502) a few times: Octokit retries with a back-off, and orch is killed meanwhile.
    github.fault({ status: 502, method: 'POST', path: /\/pulls$/, times: 3 });

    let orchPid = 0;
    let runId = '';
    let notDelivering: unknown;
    const first = await supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'fix add', '--deliver', 'pr', '--test-cmd', 'node --test', '--no-tui'],
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home, ...env },
      totalTimeoutMs: guard(120_000),
      onSpawn: (pid) => {
        orchPid = pid;
        const delivering = () => github.requestLog.some((r) => r.method === 'POST' && r.path.endsWith('/pulls') && r.status === 502);
        void waitFor(delivering, { what: 'orch to be opening the pull request', timeoutMs: 100_000, intervalMs: 20 })
          .then(() => undefined, (error: unknown) => (notDelivering = error))
          .then(() => process.kill(orchPid, 'SIGKILL'));
      },
      onLine: (_stream, line) => {
        runId ||= /run (run_[0-9a-z]+) started/.exec(line)?.[1] ?? '';
      },
    });
    expect(notDelivering).toBeUndefined();
    expect(first.signal).toBe('SIGKILL');
    expect(runId).not.toBe('');
    const head = `orch/${runId}/pr`;
    // Killed between the push and the pull request: the branch is on the remote, no pull request exists.
    expect((await git(['--git-dir', remote, 'rev-parse', '--verify', `refs/heads/${head}`], { cwd: '/', allowFailure: true })).exitCode).toBe(0);
    expect(github.pulls.size).toBe(0);

    const resumed = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home, env, timeoutMs: guard(120_000) });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as Resumed;
    expect(report.run.status).toBe('succeeded');
    expect(report.pullRequest).toMatchObject({ updated: false, head });

    const again = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home, env, timeoutMs: guard(120_000) });
    expect(again.exitCode, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Resumed).pullRequest).toMatchObject({ number: report.pullRequest.number, updated: true });

    // Exactly one pull request for the run, and it points at the branch's final head: the chosen attempt's commit.
    const pulls = [...github.pulls.values()].filter((p) => p.head === head);
    expect(pulls).toHaveLength(1);
    expect(github.pulls.size).toBe(1);
    const branchHead = (await git(['--git-dir', remote, 'rev-parse', `refs/heads/${head}`], { cwd: '/' })).stdout.trim();
    expect(pulls[0]).toMatchObject({ number: report.pullRequest.number, state: 'open', base: 'main', headSha: branchHead });
    expect(report.attempts.map((a) => a.headSha)).toContain(branchHead);
    expect((await git(['--git-dir', remote, 'show', `${branchHead}:src/math.js`], { cwd: '/' })).stdout.trim()).toBe(goodMath.trim());
  }, 300_000);
});
