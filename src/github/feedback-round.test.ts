// The feedback hook of mergeWhenGreen against the scripted GitHub over HTTP: what a round is told (the review with
// its line comments, a failing check's output), that each review is answered once, and the bound: past the last
// round, or when the engine starts none (the budget), orch says on the pull request that it gave up. The engine's
// side of a round (the resumed agent session) is test/e2e/github-feedback.test.ts; here the round is a recorder.
import { afterEach, describe, expect, it } from 'vitest';
import type { Repository } from '../git/index.ts';
import { startScriptedGitHubServer, type ScriptedGitHubServer } from '../testkit/index.ts';
import { openGitHub, type GitHub } from './client.ts';
import { feedbackLoop, type RoundOutcome } from './feedback-round.ts';
import { mergeWhenGreen } from './merge-pr.ts';

const servers: ScriptedGitHubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<{ server: ScriptedGitHubServer; github: GitHub; pull: number }> {
  const server = await startScriptedGitHubServer();
  servers.push(server);
  const github = openGitHub({ baseUrl: server.url, token: 'test-github-token', slug: { owner: server.owner, repo: server.repo } });
  const pull = (await github.api.rest.pulls.create({ ...github.slug, head: 'orch/run_x/pr', base: 'main', title: 'x' })).data.number;
  return { server, github, pull };
}

const quick = { requiredChecks: ['ci'], timeoutMs: 5_000, pollMs: 50 };
// No round here pushes (none is started, or none is allowed): the repository is never read.
const noRepo = {} as Repository;

describe('feedback rounds from the pull request', () => {
  it('tells the round the review and its line comments, and stops (saying why on the pull request) when the engine starts none', async () => {
    const { server, github, pull } = await start();
    server.addReviewWithComments(pull, { state: 'CHANGES_REQUESTED', user: 'alice', body: 'Please rename it.', comments: [{ path: 'src/a.js', line: 3, body: 'call it sum' }] });
    const told: { round: number; feedback: string; source: string }[] = [];
    const runRound = (round: number, feedback: string, source: string): Promise<RoundOutcome> => {
      told.push({ round, feedback, source });
      return Promise.resolve({ started: false, reason: "the run's budget ($1.0000) has no room for feedback round 1" });
    };
    const onFeedback = feedbackLoop({ github, repo: noRepo, pull, head: 'orch/run_x/pr', target: 'main', headSha: 'a'.repeat(40), maxRounds: 2, runRound });
    const result = await mergeWhenGreen(github, pull, { ...quick, onFeedback });
    expect(result).toEqual({ merged: false, reason: "the run's budget ($1.0000) has no room for feedback round 1" });
    expect(told).toHaveLength(1);
    expect(told[0]?.source).toBe('a review requesting changes (by alice) on pull request #1');
    expect(told[0]?.feedback).toContain('Please rename it.');
    expect(told[0]?.feedback).toContain('- src/a.js:3: call it sum');
    expect(server.pullComments(pull).map((c) => c.body)).toEqual([
      "🤖 orch gave up on this pull request: the run's budget ($1.0000) has no room for feedback round 1. A person takes it from here.",
    ]);
    expect(server.pulls.get(pull)?.merged).toBe(false);
  });

  it('feeds a failing required check back with its output, and gives up once the rounds are used up', async () => {
    const { server, github, pull } = await start();
    server.scriptChecks(pull, () => [
      { name: 'ci', status: 'completed', conclusion: 'failure', output: { title: 'unit tests', summary: '2 failed', text: 'expected 5, got -1' } },
      { name: 'lint', status: 'completed', conclusion: 'failure' },
    ]);
    const gaveUp: string[] = [];
    const onFeedback = feedbackLoop({
      github,
      repo: noRepo,
      pull,
      head: 'orch/run_x/pr',
      target: 'main',
      headSha: 'a'.repeat(40),
      maxRounds: 0,
      runRound: () => Promise.reject(new Error('no round may start')),
      onGiveUp: (reason) => Promise.resolve(void gaveUp.push(reason)),
    });
    const result = await mergeWhenGreen(github, pull, { ...quick, onFeedback });
    expect(result).toEqual({ merged: false, reason: '0 feedback rounds used up, and it still has failing checks (ci) on pull request #1' });
    expect(gaveUp).toEqual([result.reason]);
    expect(server.pullComments(pull).at(-1)?.body).toContain('orch gave up on this pull request: 0 feedback rounds used up');
  });

  it('scripted CI: the check runs of each head are decided once, by push', async () => {
    const { server, github, pull } = await start();
    server.scriptChecks(pull, (_sha, push) => [{ name: 'ci', status: 'completed', conclusion: push === 0 ? 'failure' : 'success', output: { summary: `push ${push}` } }]);
    const head = server.pulls.get(pull)?.headSha ?? '';
    const runs = await github.api.rest.checks.listForRef({ ...github.slug, ref: head });
    expect(runs.data.check_runs.map((r) => [r.conclusion, r.output.summary])).toEqual([['failure', 'push 0']]);
    const again = await github.api.rest.checks.listForRef({ ...github.slug, ref: head });
    expect(again.data.check_runs[0]?.conclusion).toBe('failure');
  });
});
