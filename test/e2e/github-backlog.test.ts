// The github_issues backlog end to end: `orch cycle` reads the labelled issues of the scripted GitHub through the
// real Octokit, a real Claude Code worker (against the scripted model server) does the one the planner picks, and
// the issue hears when the work starts and how it ended. An issue unlabelled by a person leaves the backlog: the
// next cycle's planner never sees it and nothing runs for it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openGitHub } from '../../src/github/index.ts';
import { claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { githubToken, useScriptedGitHubs } from '../helpers/github.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { plannerScript, sampleRepo, withStore, workerScript, writePortfolio } from '../helpers/portfolio.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const startGitHub = useScriptedGitHubs();
const token = githubToken;

interface TaskJson {
  id: number;
  title: string;
  status: string;
  reason: string | null;
  issue: { number: number; url: string } | null;
}

describe('portfolio backlog from GitHub issues', () => {
  it('runs a labelled issue as a task and comments on it; an issue unlabelled before the next cycle is not run', async () => {
    const model = await serve({
      scripts: [
        // The second cycle plans work of its own (a plan holds at least one task); the unlabelled issue is not in it.
        // It also names the item that left (a planner may remember it): that task is not run, and says why.
        plannerScript('planner-2', 'merged: B1', [
          { id: 'N1', title: 'NOTE-TASK write note.txt', description: 'Create note.txt.' },
          { id: 'B2', title: 'GHOST write ghost.txt', description: 'Create ghost.txt.' },
        ]),
        plannerScript('planner-1', 'this is the first cycle', [{ id: 'B1', title: 'FIRST-ISSUE write first.txt', description: 'Create first.txt.' }]),
        workerScript('NOTE-TASK', 'note.txt'),
        workerScript('FIRST-ISSUE', 'first.txt'),
      ],
    });
    const github = await startGitHub({});
    const first = github.addIssue({ title: 'FIRST-ISSUE write first.txt', body: 'Create first.txt with the marker.', labels: ['orch'] });
    const second = github.addIssue({ title: 'SECOND-ISSUE write second.txt', body: 'Create second.txt.', labels: ['orch', 'bug'] });
    const unlabelled = github.addIssue({ title: 'THIRD-ISSUE not for orch' });
    const repo = await sampleRepo(temp, { github: { repo: 'acme/widgets', apiUrl: github.url } });
    const home = await temp.dir();
    writePortfolio(home, { projects: [{ name: 'gh', path: repo.root, target: 'main', backlog_source: 'github_issues', test_command: 'test -f README.md' }] });
    const env = { ...claudeEnv(model, join(home, 'claude')), GH_TOKEN: token, GITHUB_TOKEN: '' };
    const orch = (args: string[]) => runOrch(args, { cwd: repo.root, home, env });

    const cycle1 = await orch(['cycle', '--project', 'gh', '--json']);
    expect(cycle1.exitCode, cycle1.stderr).toBe(0);
    const runId = (JSON.parse(cycle1.stdout) as { runId: string }).runId;
    expect(await repo.git(['show', 'main:first.txt'])).toBe('FIRST-ISSUE');

    // Each task links its issue; the third issue (no label) is no task.
    const tasks = () => orch(['tasks', '--project', 'gh', '--json']).then((r) => JSON.parse(r.stdout) as TaskJson[]);
    expect((await tasks()).map((t) => [t.title, t.status, t.issue?.number])).toEqual([
      ['FIRST-ISSUE write first.txt', 'done', first.number],
      ['SECOND-ISSUE write second.txt', 'pending', second.number],
    ]);
    expect((await orch(['tasks', '--project', 'gh'])).stdout).toContain(`(#${first.number} https://github.com/acme/widgets/issues/${first.number})`);

    // The issue heard when its task started and how it ended (merged, with the cost).
    const comments = github.issues.get(first.number)?.comments.map((c) => c.body) ?? [];
    expect(comments).toHaveLength(2);
    expect(comments[0]).toContain(`orch started working on this issue: task \`B1\` of cycle run \`${runId}\``);
    expect(comments[1]).toContain(`orch finished this issue in cycle run \`${runId}\`: merged into \`main\``);
    expect(comments[1]).toMatch(/Cost: \$\d/);
    expect(github.issues.get(second.number)?.comments).toEqual([]);
    expect(github.issues.get(unlabelled.number)?.comments).toEqual([]);

    // A person takes the label off the second issue: it leaves the backlog before the next cycle plans.
    const person = openGitHub({ baseUrl: github.url, token, slug: { owner: 'acme', repo: 'widgets' } });
    await person.api.rest.issues.removeLabel({ owner: 'acme', repo: 'widgets', issue_number: second.number, name: 'orch' });
    const cycle2 = await orch(['cycle', '--project', 'gh', '--json']);
    expect(cycle2.exitCode, cycle2.stderr).toBe(0);
    expect(await repo.git(['show', 'main:note.txt'])).toBe('NOTE-TASK');
    const run2 = (JSON.parse(cycle2.stdout) as { runId: string }).runId;
    const ghost = withStore(home, (store) => store.tasks.listByRun(run2).find((t) => t.key === 'B2'));
    expect(ghost).toMatchObject({ status: 'blocked', reason: `backlog item B2 is not open: issue #${second.number} no longer has the label 'orch'` });
    expect(model.requestLog.some((entry) => JSON.stringify(entry.body).includes('ghost.txt') && entry.script !== 'planner-2')).toBe(false);
    const planned = model.requestLog.filter((entry) => entry.script === 'planner-2');
    expect(planned.length).toBeGreaterThan(0);
    expect(JSON.stringify(planned.map((entry) => entry.body))).not.toContain('SECOND-ISSUE');
    expect((await tasks()).find((t) => t.issue?.number === second.number)).toMatchObject({ status: 'deferred', reason: `left the backlog: issue #${second.number} no longer has the label 'orch'` });
    expect(github.issues.get(second.number)?.comments).toEqual([]);
    expect(await repo.git(['ls-tree', '--name-only', 'main'])).not.toMatch(/second\.txt|ghost\.txt/);
    expect(github.requestLog.every((r) => r.authorized)).toBe(true);
  }, 240_000);
});
