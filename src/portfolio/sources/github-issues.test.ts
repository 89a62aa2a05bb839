// The github_issues source against the scripted GitHub over HTTP (the real Octokit client): the label picks the
// issues, pull requests in the issues list are left out, and an issue closed or unlabelled leaves the backlog.
import { afterEach, describe, expect, it } from 'vitest';
import { openGitHub } from '../../github/index.ts';
import { Store } from '../../store/store.ts';
import { startScriptedGitHubServer, type ScriptedGitHubServer } from '../../testkit/index.ts';
import { parsePortfolio } from '../config.ts';
import { githubIssuesSource, issueOfTask } from './github-issues.ts';
import { importBacklog } from './index.ts';

const servers: ScriptedGitHubServer[] = [];
const stores: Store[] = [];
afterEach(async () => {
  stores.splice(0).forEach((s) => s.close());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(label = 'orch') {
  const server = await startScriptedGitHubServer();
  servers.push(server);
  const github = openGitHub({ baseUrl: server.url, token: 'test-github-token', slug: { owner: server.owner, repo: server.repo } });
  const store = new Store(':memory:');
  stores.push(store);
  const project = parsePortfolio(JSON.stringify({ projects: [{ name: 'p', path: '/nowhere', backlog_source: 'github_issues', github_label: label }] }), 'p', '/').projects[0];
  if (project === undefined) throw new Error('no project');
  const source = githubIssuesSource(project.githubLabel, () => Promise.resolve(github));
  const backlog = () =>
    store.backlog
      .list('p')
      .map((t) => ({ title: t.title, status: t.status, reason: t.reason, issue: issueOfTask(t)?.number }))
      .sort((a, b) => (a.issue ?? 0) - (b.issue ?? 0));
  return { server, github, store, project, source, backlog, importNow: () => importBacklog(store, project, source) };
}

describe('the github_issues source', () => {
  it('takes open issues with the label only, links each task to its issue, and leaves pull requests out', async () => {
    const { server, github, source, importNow, store } = await setup('ready');
    const wanted = server.addIssue({ title: 'add is wrong', body: 'it subtracts', labels: ['ready', 'bug'] });
    server.addIssue({ title: 'not labelled', labels: ['orch'] });
    const closed = server.addIssue({ title: 'closed already', labels: ['ready'] });
    await github.api.rest.issues.update({ ...github.slug, issue_number: closed.number, state: 'closed' });
    const pull = (await github.api.rest.pulls.create({ ...github.slug, head: 'feature', base: 'main', title: 'a pull request' })).data.number;
    server.labelPull(pull, ['ready']);
    // GitHub's own list holds the pull request under the label: the source must be what leaves it out.
    expect((await github.api.rest.issues.listForRepo({ ...github.slug, labels: 'ready' })).data.map((i) => i.number)).toContain(pull);

    const items = await source.read('/nowhere');
    expect(items).toEqual([
      {
        sourceId: `https://github.com/acme/widgets/issues/${wanted.number}`,
        title: 'add is wrong',
        description: `it subtracts\n\n(GitHub issue #${wanted.number}: https://github.com/acme/widgets/issues/${wanted.number})`,
        type: 'fix',
        priority: 2,
      },
    ]);
    expect(await importNow()).toBe(1);
    expect(await importNow()).toBe(0);
    const task = store.backlog.list('p')[0];
    expect(task === undefined ? null : issueOfTask(task)).toEqual({ number: wanted.number, url: `https://github.com/acme/widgets/issues/${wanted.number}` });
  });

  it('defers a task whose issue was closed or unlabelled, with the reason, and takes it back when it returns', async () => {
    const { server, github, importNow, backlog, store } = await setup();
    const closing = server.addIssue({ title: 'to be closed', labels: ['orch'] });
    const unlabelling = server.addIssue({ title: 'to be unlabelled', labels: ['orch', 'bug'] });
    const staying = server.addIssue({ title: 'staying', labels: ['orch'] });
    expect(await importNow()).toBe(3);
    const done = store.backlog.list('p').find((t) => t.title === 'staying');
    if (done === undefined) throw new Error('no task');
    store.backlog.setStatus(done.id, 'done', 'merged');

    await github.api.rest.issues.update({ ...github.slug, issue_number: closing.number, state: 'closed' });
    await github.api.rest.issues.removeLabel({ ...github.slug, issue_number: unlabelling.number, name: 'orch' });
    await github.api.rest.issues.update({ ...github.slug, issue_number: staying.number, state: 'closed' });
    expect(await importNow()).toBe(0);
    expect(backlog()).toEqual([
      { title: 'to be closed', status: 'deferred', reason: `left the backlog: issue #${closing.number} was closed on GitHub`, issue: closing.number },
      { title: 'to be unlabelled', status: 'deferred', reason: `left the backlog: issue #${unlabelling.number} no longer has the label 'orch'`, issue: unlabelling.number },
      // Done work is not touched by its issue closing.
      { title: 'staying', status: 'done', reason: 'merged', issue: staying.number },
    ]);

    await github.api.rest.issues.addLabels({ ...github.slug, issue_number: unlabelling.number, labels: ['orch'] });
    await importNow();
    expect(backlog().find((t) => t.issue === unlabelling.number)).toMatchObject({ status: 'pending', reason: 'back in github_issues' });
    expect(backlog().find((t) => t.issue === closing.number)?.status).toBe('deferred');
  });

  it('leaves a task deferred by hand alone', async () => {
    const { server, importNow, backlog, store } = await setup();
    server.addIssue({ title: 'later', labels: ['orch'] });
    await importNow();
    const task = store.backlog.list('p')[0];
    if (task === undefined) throw new Error('no task');
    store.backlog.setStatus(task.id, 'deferred', 'deferred by hand');
    await importNow();
    expect(backlog()[0]).toMatchObject({ status: 'deferred', reason: 'deferred by hand' });
  });
});
