// The merge queue and conflicting branches against the scripted GitHub over HTTP: enqueued where the rules require
// a queue, merged once the queue's checks pass, dequeued with the reason; a conflict sent to the branch updater.
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedGitHubServer, type ScriptedGitHubServer } from '../testkit/index.ts';
import { openGitHub, type GitHub } from './client.ts';
import { mergeWhenGreen } from './merge-pr.ts';

const servers: ScriptedGitHubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<{ server: ScriptedGitHubServer; github: GitHub }> {
  const server = await startScriptedGitHubServer();
  servers.push(server);
  return { server, github: openGitHub({ baseUrl: server.url, token: 'test-github-token', slug: { owner: server.owner, repo: server.repo } }) };
}

const quick = { requiredChecks: [], timeoutMs: 20_000, pollMs: 50 };

describe('mergeWhenGreen with a merge queue', () => {
  it('enqueues instead of merging (the REST merge is never tried) and returns once the queue merged it after its checks', async () => {
    const { server, github } = await start();
    server.requireMergeQueue('main', { requiredChecks: ['ci'] });
    const number = (await github.api.rest.pulls.create({ ...github.slug, head: 'q', base: 'main', title: 'q' })).data.number;
    const waits: string[] = [];
    const merging = mergeWhenGreen(github, number, { ...quick, onWait: (m) => waits.push(m) });
    await expect.poll(() => server.mergeQueue('main').map((e) => e.pull), { timeout: 10_000 }).toEqual([number]);
    expect(server.pulls.get(number)?.merged).toBe(false);
    server.setCheckRuns(server.mergeGroupRef(number) ?? '?', [{ name: 'ci', status: 'completed', conclusion: 'success' }]);
    const outcome = await merging;
    expect(outcome).toMatchObject({ merged: true, via: 'merge_queue' });
    expect(server.pulls.get(number)).toMatchObject({ merged: true, state: 'closed' });
    expect(server.requestLog.filter((r) => r.path.endsWith('/merge'))).toEqual([]);
    expect(server.requestLog.some((r) => r.path === '/graphql' && JSON.stringify(r.body).includes('enqueuePullRequest'))).toBe(true);
    expect(waits.join('\n')).toContain('in the merge queue at position 1');
  });

  it('reports why the queue removed the pull request (a failing queue check, or a person)', async () => {
    const { server, github } = await start();
    server.requireMergeQueue('main', { requiredChecks: ['ci'] });
    const red = (await github.api.rest.pulls.create({ ...github.slug, head: 'r', base: 'main', title: 'r' })).data.number;
    const merging = mergeWhenGreen(github, red, quick);
    await expect.poll(() => server.mergeGroupRef(red), { timeout: 10_000 }).not.toBeNull();
    server.setCheckRuns(server.mergeGroupRef(red) ?? '?', [{ name: 'ci', status: 'completed', conclusion: 'failure' }]);
    expect(await merging).toEqual({ merged: false, via: 'merge_queue', reason: "removed from the merge queue: the merge group's required check ci ended failure" });

    const other = (await github.api.rest.pulls.create({ ...github.slug, head: 's', base: 'main', title: 's' })).data.number;
    const again = mergeWhenGreen(github, other, quick);
    await expect.poll(() => server.mergeQueue('main').length, { timeout: 10_000 }).toBe(1);
    server.removeFromMergeQueue(other, 'removed by a maintainer');
    expect(await again).toMatchObject({ merged: false, reason: 'removed from the merge queue: removed by a maintainer' });
    expect([...server.pulls.values()].some((p) => p.merged)).toBe(false);
  });

  it('the REST merge refuses with 405 where a queue is required', async () => {
    const { server, github } = await start();
    server.requireMergeQueue('main');
    const number = (await github.api.rest.pulls.create({ ...github.slug, head: 't', base: 'main', title: 't' })).data.number;
    await expect(github.api.rest.pulls.merge({ ...github.slug, pull_number: number, request: { retries: 0 } })).rejects.toThrow('Changes must be made through the merge queue');
    expect((await github.api.rest.repos.getBranchRules({ ...github.slug, branch: 'main' })).data.map((r) => r.type)).toEqual(['merge_queue']);
    expect((await github.api.rest.repos.getBranchRules({ ...github.slug, branch: 'dev' })).data).toEqual([]);
  });
});
