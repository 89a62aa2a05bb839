// The scripted GitHub answers the real Octokit client over HTTP as GitHub would.
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedGitHubServer, type ScriptedGitHubServer } from './github-server.ts';

const servers: ScriptedGitHubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<{ server: ScriptedGitHubServer; octokit: Octokit }> {
  const server = await startScriptedGitHubServer({ owner: 'acme', repo: 'widgets' });
  servers.push(server);
  return { server, octokit: new Octokit({ baseUrl: server.url, auth: 'test-github-token', log: quiet }) };
}

const repo = { owner: 'acme', repo: 'widgets' };
// Octokit logs every failed request; these fail on purpose.
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('scripted GitHub server', () => {
  it('keeps issues, labels and comments, and lists issues by label', async () => {
    const { server, octokit } = await start();
    const issue = server.addIssue({ title: 'add is wrong', body: 'it subtracts', labels: ['orch'] });
    server.addIssue({ title: 'unrelated' });
    const listed = await octokit.rest.issues.listForRepo({ ...repo, labels: 'orch' });
    expect(listed.data.map((i) => i.title)).toEqual(['add is wrong']);
    expect(listed.headers['x-ratelimit-remaining']).toBeDefined();
    await octokit.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'orch started' });
    await octokit.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: 'orch' });
    await octokit.rest.issues.addLabels({ ...repo, issue_number: issue.number, labels: ['orch:working'] });
    expect(server.issues.get(issue.number)).toMatchObject({ labels: ['orch:working'], comments: [{ body: 'orch started' }] });
    await expect(octokit.rest.issues.get({ ...repo, issue_number: 99 })).rejects.toMatchObject({ status: 404 });
  });

  it('opens, finds by head, updates, reviews and merges a pull request; the merge closes the issue it fixes', async () => {
    const { server, octokit } = await start();
    const issue = server.addIssue({ title: 'bug' });
    const created = await octokit.rest.pulls.create({ ...repo, head: 'orch/r1/a1', base: 'main', title: 'fix', body: `Fixes #${issue.number}`, draft: true });
    await expect(octokit.rest.pulls.create({ ...repo, head: 'orch/r1/a1', base: 'main', title: 'again' })).rejects.toMatchObject({ status: 422 });
    const found = await octokit.rest.pulls.list({ ...repo, head: 'acme:orch/r1/a1', state: 'open' });
    expect(found.data.map((p) => p.number)).toEqual([created.data.number]);
    await expect(octokit.rest.pulls.merge({ ...repo, pull_number: created.data.number })).rejects.toMatchObject({ status: 405 });
    server.addReview(created.data.number, { state: 'CHANGES_REQUESTED', body: 'rename it' });
    const reviews = await octokit.rest.pulls.listReviews({ ...repo, pull_number: created.data.number });
    expect(reviews.data.map((r) => r.state)).toEqual(['CHANGES_REQUESTED']);
    server.pulls.get(created.data.number)!.draft = false;
    await octokit.rest.pulls.update({ ...repo, pull_number: created.data.number, body: `updated\n\nFixes #${issue.number}` });
    await octokit.rest.pulls.merge({ ...repo, pull_number: created.data.number, merge_method: 'squash' });
    expect(server.pulls.get(created.data.number)).toMatchObject({ merged: true, mergeMethod: 'squash', body: `updated\n\nFixes #${issue.number}` });
    expect(server.issues.get(issue.number)).toMatchObject({ state: 'closed', closedBy: created.data.number });
  });

  it('reports check runs and the combined status of a ref', async () => {
    const { server, octokit } = await start();
    server.setCheckRuns('abc', [{ name: 'ci', status: 'completed', conclusion: 'failure' }]);
    expect((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'abc' })).data.state).toBe('failure');
    server.setCheckRuns('abc', [{ name: 'ci', status: 'completed', conclusion: 'success' }]);
    expect((await octokit.rest.checks.listForRef({ ...repo, ref: 'abc' })).data.check_runs[0]).toMatchObject({ name: 'ci', conclusion: 'success' });
    expect((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'abc' })).data.state).toBe('success');
  });

  it('refuses a wrong token, and answers injected faults then recovers', async () => {
    const { server, octokit } = await start();
    const stranger = new Octokit({ baseUrl: server.url, auth: 'wrong', log: quiet });
    await expect(stranger.rest.issues.listForRepo(repo)).rejects.toMatchObject({ status: 401 });
    server.fault({ status: 403, rateLimitResetSeconds: 2, path: /\/issues$/ });
    const limited = await octokit.rest.issues.listForRepo(repo).catch((error: { status: number; response: { headers: Record<string, string> } }) => error);
    expect(limited).toMatchObject({ status: 403 });
    const headers = (limited as { response: { headers: Record<string, string> } }).response.headers;
    expect(headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    server.fault({ status: 502, times: 1 });
    await expect(octokit.rest.issues.listForRepo(repo)).rejects.toMatchObject({ status: 502 });
    expect((await octokit.rest.issues.listForRepo(repo)).status).toBe(200);
    expect(server.requestLog.map((r) => r.status)).toEqual([401, 403, 502, 200]);
  });
});
