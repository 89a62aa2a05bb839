// The GitHub room against the scripted GitHub over HTTP: what stops a merge, and secondary rate limits waited out.
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedGitHubServer, type ScriptedGitHubServer } from '../testkit/index.ts';
import { openGitHub, type GitHub } from './client.ts';
import { mergeWhenGreen } from './merge-pr.ts';

const servers: ScriptedGitHubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<{ server: ScriptedGitHubServer; github: GitHub; waits: string[] }> {
  const server = await startScriptedGitHubServer();
  servers.push(server);
  const waits: string[] = [];
  return { server, waits, github: openGitHub({ baseUrl: server.url, token: 'test-github-token', slug: { owner: server.owner, repo: server.repo }, onWait: (m) => waits.push(m) }) };
}

const quick = { requiredChecks: [], timeoutMs: 5_000, pollMs: 50 };

describe('mergeWhenGreen', () => {
  it('does not merge over a review requesting changes, a draft, or checks that never pass', async () => {
    const { server, github } = await start();
    const reviewed = (await github.api.rest.pulls.create({ ...github.slug, head: 'a', base: 'main', title: 'a' })).data.number;
    server.addReview(reviewed, { state: 'CHANGES_REQUESTED', body: 'no' });
    expect(await mergeWhenGreen(github, reviewed, quick)).toEqual({ merged: false, reason: 'a review requests changes' });

    const draft = (await github.api.rest.pulls.create({ ...github.slug, head: 'b', base: 'main', title: 'b', draft: true })).data.number;
    expect(await mergeWhenGreen(github, draft, quick)).toEqual({ merged: false, reason: 'the pull request is a draft' });

    const red = (await github.api.rest.pulls.create({ ...github.slug, head: 'c', base: 'main', title: 'c' })).data.number;
    server.setCheckRuns('c', [{ name: 'ci', status: 'completed', conclusion: 'failure' }]);
    const timedOut = await mergeWhenGreen(github, red, { ...quick, timeoutMs: 300 });
    expect(timedOut.merged).toBe(false);
    expect(timedOut.reason).toContain('did not pass in time (checks failing: ci failure)');
    expect([...server.pulls.values()].some((p) => p.merged)).toBe(false);
  });

  it('waits for a required check that has not reported, and merges once it passes', async () => {
    const { server, github, waits } = await start();
    const number = (await github.api.rest.pulls.create({ ...github.slug, head: 'd', base: 'main', title: 'd' })).data.number;
    const merging = mergeWhenGreen(github, number, { ...quick, requiredChecks: ['ci'], onWait: (m) => waits.push(m) });
    await expect.poll(() => waits.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(waits[0]).toContain('ci (not reported yet)');
    server.setCheckRuns('d', [{ name: 'ci', status: 'completed', conclusion: 'success' }]);
    expect((await merging).merged).toBe(true);
    expect(server.pulls.get(number)?.merged).toBe(true);
  });
});

describe('the client', () => {
  it('waits out a secondary rate limit (retry-after) and goes on', async () => {
    const { server, github, waits } = await start();
    server.addIssue({ title: 'x' });
    server.fault({ status: 403, retryAfterSeconds: 1, path: /\/issues\/1$/ });
    const started = Date.now();
    const { data } = await github.api.rest.issues.get({ ...github.slug, issue_number: 1 });
    expect(data.title).toBe('x');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(waits.join('\n')).toMatch(/secondary rate limit .* waiting 1s/);
  });
});
