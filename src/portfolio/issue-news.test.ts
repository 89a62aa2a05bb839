// The comments a github_issues project's issues get, over HTTP against the scripted GitHub: one when a cycle starts a
// task for the issue (however often the task runs), one when the cycle settled — merged, or given up with the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { openGitHub } from '../github/index.ts';
import { Store } from '../store/store.ts';
import { startScriptedGitHubServer, type ScriptedGitHubServer } from '../testkit/index.ts';
import { parsePortfolio } from './config.ts';
import { IssueNews } from './issue-news.ts';
import { githubIssuesSource } from './sources/github-issues.ts';
import { importBacklog } from './sources/index.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

const servers: ScriptedGitHubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('issue news', () => {
  it('comments once when a task for the issue starts, and says how the cycle ended: merged or given up, with the cost', async () => {
    const server = await startScriptedGitHubServer();
    servers.push(server);
    const github = openGitHub({ baseUrl: server.url, token: 'test-github-token', slug: { owner: server.owner, repo: server.repo } });
    const store = new Store(':memory:');
    const project = parsePortfolio(JSON.stringify({ projects: [{ name: 'p', path: '/nowhere', backlog_source: 'github_issues' }] }), 'p', '/').projects[0];
    if (project === undefined) throw new Error('no project');
    const merged = server.addIssue({ title: 'merged one', labels: ['orch'] });
    const failed = server.addIssue({ title: 'failing one', labels: ['orch'] });
    const untouched = server.addIssue({ title: 'not planned', labels: ['orch'] });
    await importBacklog(store, project, githubIssuesSource('orch', () => Promise.resolve(github)));
    const run = store.runs.create({ id: 'run_00000000000001', projectPath: '/nowhere', goal: 'g', strategy: 'cycle', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {}, parentRunId: null, parentAttemptId: null }, process.pid);
    store.cycles.record(run.id, 'p', 1);
    const warnings: string[] = [];
    const news = new IssueNews(store, [project], { open: () => Promise.resolve(github), warn: (message) => warnings.push(message) });
    const untrack = news.track();
    try {
      for (const key of ['B1', 'B1', 'B2.1']) store.events.append({ runId: run.id, type: 'task.running', data: { key } });
      await waitFor(() => server.issues.get(failed.number)?.comments.length === 1 && server.issues.get(merged.number)?.comments.length === 1, { what: 'the start comments' });
      store.backlog.recordCycleResult(1, run.id, 'B1', 'done', 'merged', 0.12);
      store.backlog.recordCycleResult(2, run.id, 'B2.1', 'failed', 'checks failed: node --test', 0.3);
      news.cycleEnded(run.id);
      await news.flush();
    } finally {
      untrack();
      store.close();
    }
    const comments = (n: number) => server.issues.get(n)?.comments.map((c) => c.body) ?? [];
    expect(comments(merged.number)).toHaveLength(2);
    expect(comments(merged.number)[0]).toContain(`orch started working on this issue: task \`B1\` of cycle run \`${run.id}\``);
    expect(comments(merged.number)[1]).toContain('✅ orch finished this issue');
    expect(comments(merged.number)[1]).toContain('Cost: $0.12');
    expect(comments(failed.number)).toHaveLength(2);
    expect(comments(failed.number)[1]).toContain('❌ orch gave up on this issue');
    expect(comments(failed.number)[1]).toContain('`B2.1`: failed — checks failed: node --test');
    expect(comments(untouched.number)).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
