// The portfolio's commands from the command line: seed 001's file accepted as written, pause and unpause by
// project name, and bad input refused with a message that says what to do (exit 2, nothing changed).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { plannerScript, sampleRepo, withStore, workerScript, writePortfolio } from '../helpers/portfolio.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

interface Status {
  projects: { name: string; state: string; why: string | null; tasks: { pending: number } }[];
}

async function setup() {
  const repo = await temp.repo();
  const home = await temp.dir();
  // Seed 001's README example with the path of a real repository, in orch's default place.
  const seed = {
    name: 'personal',
    data_dir: './data',
    log_level: 'INFO',
    projects: [
      { name: 'my-app', path: repo.root, enabled: true, priority: 1, max_workers: 3, worker_timeout_seconds: 300, model: 'sonnet', planner_model: 'sonnet', judge_model: 'haiku', max_budget_per_task: 0.5, planner_context_files: ['CLAUDE.md'], backlog_source: 'claude_md', cycle_interval_minutes: 30, test_command: 'pytest', lint_command: 'ruff check .' },
    ],
  };
  writeFileSync(join(home, 'portfolio.jsonc'), JSON.stringify(seed, null, 2));
  return { repo, home };
}

describe('portfolio commands', () => {
  it("take seed 001's file as written: add-task, tasks with a status filter, pause and unpause by name, status", async () => {
    const { repo, home } = await setup();
    const run = (args: string[]) => runOrch(args, { cwd: repo.root, home });
    const added = await run(['add-task', '--project', 'my-app', '--title', 'Fix null check in parser', '--desc', 'It drops nulls.', '--type', 'fix']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toContain('added task 1 to my-app');
    const pending = await run(['tasks', '--project', 'my-app', '--status', 'pending']);
    expect(pending.stdout).toMatch(/1\s+pending\s+fix\s+p2\s+Fix null check in parser/);
    expect((await run(['tasks', '--project', 'my-app', '--status', 'done'])).stdout).toContain('no done tasks');

    expect((await run(['project', 'pause', '--project', 'my-app'])).exitCode).toBe(0);
    let status = JSON.parse((await run(['status', '--json'])).stdout) as Status;
    expect(status.projects[0]).toMatchObject({ name: 'my-app', state: 'paused', why: 'paused by hand', tasks: { pending: 1 } });
    // A paused project starts no cycle, and says why.
    const cycle = await run(['cycle', '--project', 'my-app']);
    expect(cycle.exitCode).toBe(2);
    expect(cycle.stderr).toContain('No cycle of my-app started: paused: paused by hand');
    expect((await run(['project', 'unpause', '--project', 'my-app'])).exitCode).toBe(0);
    status = JSON.parse((await run(['status', '--json'])).stdout) as Status;
    expect(status.projects[0]?.state).toBe('active');
    expect((await run(['status'])).stdout).toContain('daemon down');

    const deferred = await run(['tasks', '--project', 'my-app', '--defer', '1', '--json']);
    expect((JSON.parse(deferred.stdout) as { status: string }[])[0]?.status).toBe('deferred');
  });

  it('orch cycle --project runs one cycle now: a backlog_file item done, merged, the plan and report on disk, the file untouched', async () => {
    const server = await serve({
      scripts: [plannerScript('planner', '[fix, priority 1]: NOW-ONE', [{ id: 'B1', title: 'NOW-ONE write now.txt', description: 'Create now.txt.' }]), workerScript('NOW-ONE', 'now.txt')],
    });
    const repo = await sampleRepo(temp);
    await repo.git(['switch', '--quiet', 'main']);
    const backlog = '# Backlog\n\n- [ ] fix: NOW-ONE write now.txt (P1)\n- [x] done long ago\n';
    writeFileSync(join(repo.root, 'BACKLOG.md'), backlog);
    await repo.git(['add', 'BACKLOG.md']);
    await repo.git(['commit', '--quiet', '-m', 'backlog']);
    await repo.git(['switch', '--quiet', 'work']);
    await repo.git(['merge', '--quiet', 'main']);
    const home = await temp.dir();
    writePortfolio(home, { projects: [{ name: 'now', path: repo.root, target: 'main', backlog_source: 'backlog_file' }] });
    const result = await runOrch(['cycle', '--project', 'now', '--json'], { cwd: repo.root, home, env: claudeEnv(server, join(home, 'claude')) });
    expect(result.exitCode, result.stderr).toBe(0);
    const cycle = JSON.parse(result.stdout) as { runId: string; summary: string; cycle: { planPath: string } };
    expect(cycle.summary).toMatch(/^succeeded: 1 of 1 task\(s\) merged/);
    expect(await repo.git(['show', 'main:now.txt'])).toBe('NOW-ONE');
    const tasks = JSON.parse((await runOrch(['tasks', '--project', 'now', '--json'], { cwd: repo.root, home })).stdout) as { title: string; status: string; source: string; lastRunId: string }[];
    expect(tasks).toEqual([expect.objectContaining({ title: 'NOW-ONE write now.txt', status: 'done', source: 'backlog_file', lastRunId: cycle.runId })]);
    expect(readFileSync(cycle.cycle.planPath, 'utf8')).toContain('## What the planner found');
    expect(readFileSync(join(repo.root, 'BACKLOG.md'), 'utf8')).toBe(backlog);
    // The cycle is a run like any other: orch show knows it.
    const show = await runOrch(['show', cycle.runId, '--json'], { cwd: repo.root, home });
    expect((JSON.parse(show.stdout) as { run: { strategy: string } }).run.strategy).toBe('cycle');
  }, 180_000);

  it.each([
    ['an unknown project', ['add-task', '--project', 'nope', '--title', 't'], "no project named 'nope'"],
    ['a blank title', ['add-task', '--project', 'my-app', '--title', '  '], 'title'],
    ['an unknown task type', ['add-task', '--project', 'my-app', '--title', 't', '--type', 'feature'], 'type'],
    ['an unknown status', ['tasks', '--project', 'my-app', '--status', 'todo'], '--status must be one of pending, running, done, failed, deferred, blocked'],
    ['a missing portfolio file', ['start', '--portfolio', '/nonexistent/p.jsonc'], 'does not exist'],
    ['a task id that is not a number', ['tasks', '--project', 'my-app', '--defer', 'x'], 'positive whole number'],
  ])('refuse %s with exit 2 and change nothing', async (_what, args, message) => {
    const { repo, home } = await setup();
    const result = await runOrch(args, { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(withStore(home, (store) => store.backlog.list('my-app'))).toEqual([]);
  });

  it('refuses a portfolio file that is wrong, naming the key', async () => {
    const { repo, home } = await setup();
    writeFileSync(join(home, 'bad.jsonc'), JSON.stringify({ projects: [{ name: 'a', path: repo.root, max_workers: 0 }] }));
    const result = await runOrch(['status', '--portfolio', join(home, 'bad.jsonc')], { cwd: repo.root, home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('projects.0.maxWorkers');
  });
});
