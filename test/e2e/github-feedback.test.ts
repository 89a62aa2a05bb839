// Feedback from the pull request, end to end: the REAL Claude Code CLI against the scripted model server, the real
// Octokit against the scripted GitHub. While orch waits to merge its pull request (mergeVia github), a review
// requesting changes or a failing required check starts a feedback round: the same Claude session, resumed in the
// attempt's worktree on the same branch, makes the change; orch checks it, pushes the same branch (the same pull
// request moves) and says on the pull request what changed. Rounds are bounded; past the last one orch gives up
// and says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditedRunReport } from '../../src/domain/run-report.ts';
import { git } from '../../src/git/index.ts';
import { type ScriptedPull } from '../../src/testkit/index.ts';
import { claudeEnv, goodMath, useScriptedServers } from '../helpers/claude-run.ts';
import { githubToken, projectOnGitHub as onGitHub, useScriptedGitHubs } from '../helpers/github.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch, type OrchResult } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serveModel = useScriptedServers();
const startGitHub = useScriptedGitHubs();
const token = githubToken;
const documentedMath = '/** Adds two numbers. */\nexport const add = (a, b) => a + b;\n';
const write = (content: string) => ({ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content } });

interface Outcome {
  pullRequest: { number: number; head: string; merge: { merged: boolean; reason: string } | null; feedbackRounds: number };
}
type Report = AuditedRunReport & Outcome;

const projectOnGitHub = (github: Record<string, unknown>) =>
  onGitHub(temp, startGitHub, { github: { mergeVia: 'github', requiredChecks: ['ci'], checkPollSeconds: 0.3, checksTimeoutSeconds: 300, ...github } });

/** Wait for a condition while orch runs: if orch ends first, fail at once with what it said (no wait for the timeout). */
async function whileRunning<T>(running: Promise<OrchResult>, condition: () => T, options: { what: string; timeoutMs?: number }): Promise<NonNullable<T>> {
  let ended: OrchResult | undefined;
  void running.then((result) => (ended = result));
  const seen = await waitFor(() => {
    const value = condition();
    if (value) return { value };
    return ended === undefined ? undefined : { ended };
  }, options);
  if ('value' in seen) return seen.value as NonNullable<T>;
  throw new Error(`orch ended (exit ${seen.ended.exitCode}) before ${options.what}:\n${seen.ended.stderr}`);
}

const showOnRemote = async (remote: string, ref: string): Promise<string> => (await git(['--git-dir', remote, 'show', `${ref}:src/math.js`], { cwd: '/' })).stdout;

describe('feedback from the pull request', () => {
  it('a review requesting changes: the same Claude session makes the change, the same pull request moves, and it merges once approved', async () => {
    const model = await serveModel({ script: [write(goodMath), { text: 'Fixed add().' }, write(documentedMath), { text: 'Documented add() as the reviewer asked.' }] });
    const { repo, remote, github, remoteMain } = await projectOnGitHub({ feedbackRounds: 2 });
    const issue = github.addIssue({ title: 'add() subtracts', body: 'add(2, 3) should be 5.' });
    const home = await temp.dir();
    const running = runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token },
    });
    const pull: ScriptedPull = await whileRunning(running, () => [...github.pulls.values()][0], { what: 'the pull request', timeoutMs: 120_000 });
    const firstHead = pull.headSha;
    // The reviewer asks for a change before CI reports; CI passes on every head.
    github.addReviewWithComments(pull.number, {
      state: 'CHANGES_REQUESTED',
      user: 'alice',
      body: 'Please document add().',
      comments: [{ path: 'src/math.js', line: 1, body: 'Add a JSDoc comment saying it adds two numbers.' }],
    });
    github.scriptChecks(pull.number, () => [{ name: 'ci', status: 'completed', conclusion: 'success' }]);

    // The feedback round pushes to the same branch: the pull request's head moves and orch says what it changed.
    await whileRunning(running, () => pull.headSha !== firstHead && github.pullComments(pull.number).some((c) => c.body.includes('feedback round 1')), {
      what: 'the feedback round to update the pull request',
      timeoutMs: 180_000,
    });
    // The review still requests changes: orch keeps asking, and waits for the reviewer rather than merging.
    const reviewPolls = () => github.requestLog.filter((r) => r.method === 'GET' && r.path.endsWith('/reviews')).length;
    const polledAtRound = reviewPolls();
    await whileRunning(running, () => reviewPolls() >= polledAtRound + 3, { what: 'orch to look at the reviews again' });
    expect(pull.merged).toBe(false);
    github.addReview(pull.number, { state: 'APPROVED', user: 'alice' });

    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.pullRequest.merge?.merged).toBe(true);
    expect(report.pullRequest.feedbackRounds).toBe(1);

    // The round resumed the first attempt's Claude session, on its branch.
    const [first, round] = report.attempts;
    expect(round?.stepKey).toBe('feedback/1');
    expect(round?.sessionId).not.toBeNull();
    expect(round?.sessionId).toBe(first?.sessionId);
    expect(round?.branch).toBe(first?.branch);
    // The model saw the earlier conversation and the review with its line comment.
    const lastRequest = JSON.stringify(model.requestLog.at(-1)?.body ?? {});
    expect(lastRequest).toContain('Fixed add().');
    expect(lastRequest).toContain('Please document add().');
    expect(lastRequest).toContain('src/math.js:1: Add a JSDoc comment');
    // The round's cost is the run's.
    expect(round?.costUsd ?? 0).toBeGreaterThan(0);
    expect(report.run.costUsd).toBeCloseTo((first?.costUsd ?? 0) + (round?.costUsd ?? 0), 6);

    // Exactly one pull request, whose head is the round's commit holding the requested change; merged by GitHub.
    expect(github.pulls.size).toBe(1);
    expect(github.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'))).toHaveLength(1);
    expect(pull.headSha).toBe(round?.headSha);
    expect(await showOnRemote(remote, pull.head)).toBe(documentedMath.trim());
    expect(pull).toMatchObject({ merged: true, state: 'closed' });
    expect((await git(['--git-dir', remote, 'rev-parse', 'refs/heads/main'], { cwd: '/' })).stdout.trim()).toBe(remoteMain);
    const said = github.pullComments(pull.number).map((c) => c.body);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('a review requesting changes (by alice)');
    expect(said[0]).toContain('`src/math.js`');
    expect(said[0]).toContain("orch's checks: test passed");
    expect(result.stderr).toContain('feedback round 1 of 2');

    // The round is in the run's event log (the report's timeline reads it).
    const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home })).stdout) as { type: string; data: Record<string, unknown> }[];
    expect(events.filter((e) => e.type.startsWith('feedback.')).map((e) => e.type)).toEqual(['feedback.started', 'feedback.finished']);
    expect(events.find((e) => e.type === 'feedback.finished')?.data).toMatchObject({ round: 1, sameSession: true, passed: true });
    // The audit trail was written again after the round: its timeline has the round's lane, its cost counted.
    const timeline = JSON.parse(readFileSync(join(report.auditDir, 'timeline.json'), 'utf8')) as { lanes: { id: string; costUsd: number }[]; analytics: { costUsd: number } };
    expect(timeline.lanes.map((lane) => lane.id)).toContain(round?.id);
    expect(timeline.analytics.costUsd).toBeCloseTo(report.run.costUsd, 6);
  });

  it('a failing required check: its output goes back to the session, and the pull request merges once CI passes on the new head', async () => {
    const model = await serveModel({ script: [write(goodMath), { text: 'Fixed add().' }, write(documentedMath), { text: 'Documented add() for the docs check.' }] });
    const { repo, remote, github } = await projectOnGitHub({ feedbackRounds: 2 });
    const issue = github.addIssue({ title: 'add() subtracts', body: 'fix it' });
    const home = await temp.dir();
    const running = runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token },
    });
    const pull: ScriptedPull = await whileRunning(running, () => [...github.pulls.values()][0], { what: 'the pull request', timeoutMs: 120_000 });
    // CI fails on the first head with a reason in its output, and passes on the next.
    github.scriptChecks(pull.number, (_sha, push) =>
      push === 0
        ? [{ name: 'ci', status: 'completed', conclusion: 'failure', output: { title: 'docs lint', summary: 'src/math.js: exported function add has no JSDoc comment' } }]
        : [{ name: 'ci', status: 'completed', conclusion: 'success' }],
    );
    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.pullRequest).toMatchObject({ feedbackRounds: 1, merge: { merged: true } });
    expect(report.attempts[1]?.sessionId).toBe(report.attempts[0]?.sessionId);
    expect(JSON.stringify(model.requestLog.at(-1)?.body ?? {})).toContain('exported function add has no JSDoc comment');
    expect(await showOnRemote(remote, pull.head)).toBe(documentedMath.trim());
    expect(github.pulls.size).toBe(1);
    expect(pull).toMatchObject({ merged: true });
    expect(github.pullComments(pull.number)[0]?.body).toContain('failing checks (ci)');
  });

  it('gives up once its rounds are used up: it says so on the pull request, does not merge, and exits 1', async () => {
    const model = await serveModel({ script: [write(goodMath), { text: 'Fixed add().' }, write(documentedMath), { text: 'Documented add().' }] });
    const { repo, github } = await projectOnGitHub({ feedbackRounds: 1 });
    const issue = github.addIssue({ title: 'add() subtracts', body: 'fix it' });
    const home = await temp.dir();
    const running = runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token },
    });
    const pull: ScriptedPull = await whileRunning(running, () => [...github.pulls.values()][0], { what: 'the pull request', timeoutMs: 120_000 });
    github.addReview(pull.number, { state: 'CHANGES_REQUESTED', user: 'alice', body: 'Please document add().' });
    github.scriptChecks(pull.number, () => [{ name: 'ci', status: 'completed', conclusion: 'success' }]);
    await whileRunning(running, () => github.pullComments(pull.number).some((c) => c.body.includes('feedback round 1')), { what: 'the first round', timeoutMs: 180_000 });
    // The reviewer still is not satisfied: the one round allowed is used up.
    github.addReview(pull.number, { state: 'CHANGES_REQUESTED', user: 'alice', body: 'Also handle strings.' });

    const result = await running;
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.pullRequest.feedbackRounds).toBe(1);
    expect(report.pullRequest.merge).toMatchObject({ merged: false });
    expect(report.pullRequest.merge?.reason).toContain('1 feedback round used up');
    expect(pull.merged).toBe(false);
    expect(report.attempts).toHaveLength(2); // no second round started
    const said = github.pullComments(pull.number).map((c) => c.body);
    expect(said.at(-1)).toContain('orch gave up on this pull request: 1 feedback round used up');
    expect(github.issues.get(issue.number)?.comments.at(-1)?.body).toContain('Not merged: 1 feedback round used up');
    const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home })).stdout) as { type: string }[];
    expect(events.map((e) => e.type)).toContain('feedback.gave_up');
  });

  it('refuses a bad --feedback-rounds before anything runs', async () => {
    const { repo, github } = await projectOnGitHub({});
    const home = await temp.dir();
    for (const bad of ['-1', 'two', '21']) {
      const result = await runOrch(['run', 'fix add', '--deliver', 'pr', '--feedback-rounds', bad], { cwd: repo.root, home, env: { GH_TOKEN: token } });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`--feedback-rounds must be a whole number from 0 to 20, not '${bad}'`);
    }
    expect(github.requestLog).toEqual([]);
  });

  it('starts no round that would pass the run\'s budget, and says why', async () => {
    // The scripted turns cost the same each time (the CLI prices the usage the server reports): the first attempt
    // costs about $0.0016, so a $0.0024 budget has room for it but not for a round expected to cost as much again.
    const model = await serveModel({ script: [write(goodMath), { text: 'Fixed add().' }, write(documentedMath), { text: 'Documented add().' }] });
    const { repo, github } = await projectOnGitHub({ feedbackRounds: 2 });
    const issue = github.addIssue({ title: 'add() subtracts', body: 'fix it' });
    const home = await temp.dir();
    const running = runOrch(['run', '--issue', String(issue.number), '--deliver', 'pr', '--test-cmd', 'node --test', '--max-run-cost', '0.0024', '--json'], {
      cwd: repo.root,
      home,
      env: { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token },
    });
    const pull: ScriptedPull = await whileRunning(running, () => [...github.pulls.values()][0], { what: 'the pull request', timeoutMs: 120_000 });
    github.addReview(pull.number, { state: 'CHANGES_REQUESTED', user: 'alice', body: 'Please document add().' });
    github.scriptChecks(pull.number, () => [{ name: 'ci', status: 'completed', conclusion: 'success' }]);
    const result = await running;
    const report = JSON.parse(result.stdout) as Report;
    expect(report.run.costUsd).toBeGreaterThan(0);
    expect(report.pullRequest.feedbackRounds).toBe(0);
    expect(report.run.costUsd).toBeLessThan(0.0024);
    expect(report.pullRequest.merge?.reason).toContain("the run's budget ($0.0024) has no room for feedback round 1");
    expect(report.attempts).toHaveLength(1);
    expect(github.pullComments(pull.number).at(-1)?.body).toMatch(/gave up .*budget/);
  });
});
