// The portfolio daemon end to end: two sample repositories on schedules of a few seconds, a scripted planner and
// real Claude Code workers against the scripted model server, real git, real SQLite, the real CLI.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { orchPaths } from '../../src/domain/paths.ts';
import { Store } from '../../src/store/store.ts';
import { claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { plannerScript, sampleRepo, settledCycles, withStore, workerScript } from '../helpers/portfolio.ts';
import { useDaemons } from '../helpers/daemon.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const startDaemon = useDaemons();

const planner = plannerScript;
const worker = (marker: string, file: string) => workerScript(marker, file);

interface Status {
  daemon: { running: boolean };
  projects: { name: string; state: string; why: string | null; tasks: Record<string, number>; costTodayUsd: number; costTotalUsd: number; cycles: number; lastCycle: { status: string } | null; nextCycleAt: string | null }[];
}

describe('portfolio daemon', () => {
  it('runs two projects on their schedules: ≥2 cycles each, merges into each target, status counts and costs, cycle 2 planned from cycle 1, a task added meanwhile done next', async () => {
    const server = await serve({
      scripts: [
        planner('alpha-manual', '[code, priority 2]: ALPHA-MANUAL', [{ id: 'B1', title: 'ALPHA-MANUAL write manual.txt', description: 'Create manual.txt.' }]),
        planner('alpha-2', 'merged: A1 ALPHA-ONE', [{ id: 'A2', title: 'ALPHA-TWO write two.txt', description: 'Create two.txt.' }]),
        planner('alpha-1', 'portfolio project "alpha"', [{ id: 'A1', title: 'ALPHA-ONE write one.txt', description: 'Create one.txt.' }]),
        planner('beta-2', 'merged: C1 BETA-ONE', [{ id: 'C2', title: 'BETA-TWO write two.txt', description: 'Create two.txt.' }]),
        planner('beta-1', 'portfolio project "beta"', [{ id: 'C1', title: 'BETA-ONE write one.txt', description: 'Create one.txt.' }]),
        // Later tasks first: Claude Code shows a worker the recent commits, so a later task's prompt names earlier ones.
        worker('ALPHA-MANUAL', 'manual.txt'),
        worker('ALPHA-TWO', 'two.txt'),
        worker('ALPHA-ONE', 'one.txt'),
        worker('BETA-TWO', 'two.txt'),
        worker('BETA-ONE', 'one.txt'),
      ],
    });
    const [alphaRepo, betaRepo] = [await sampleRepo(temp), await sampleRepo(temp)];
    const [alpha, beta] = [alphaRepo.root, betaRepo.root];
    const home = await temp.dir();
    const portfolio = join(home, 'portfolio.jsonc');
    writeFileSync(
      portfolio,
      JSON.stringify({
        name: 'test',
        max_agents: 4,
        projects: [
          { name: 'alpha', path: alpha, target: 'main', cycle_interval_minutes: 0.05, test_command: 'test -f README.md', max_workers: 2 },
          { name: 'beta', path: beta, target: 'main', schedule: '*/3 * * * * *', test_command: 'test -f README.md', priority: 2 },
        ],
      }),
    );
    const env = claudeEnv(server, join(home, 'claude'));
    const started = Date.now();
    const daemon = startDaemon([], { home, env });

    await waitFor(() => settledCycles(home, 'alpha').length >= 1, { timeoutMs: 120_000, intervalMs: 200, what: "alpha's first cycle" });
    const added = await runOrch(['add-task', '--project', 'alpha', '--title', 'ALPHA-MANUAL write manual.txt', '--desc', 'Create manual.txt.', '--json'], { cwd: alpha, home });
    expect(added.exitCode, added.stderr).toBe(0);
    const taskId = (JSON.parse(added.stdout) as { id: number }).id;
    expect(taskId).toBe(1);

    await waitFor(() => settledCycles(home, 'alpha').length >= 2 && settledCycles(home, 'beta').length >= 2, { timeoutMs: 120_000, intervalMs: 300, what: 'two settled cycles of each project' });
    const manualDone = await waitFor(
      async () => {
        const result = await runOrch(['tasks', '--project', 'alpha', '--status', 'done', '--json'], { cwd: alpha, home });
        return (JSON.parse(result.stdout) as { id: number; lastRunId: string }[]).find((t) => t.id === taskId);
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'the task added with the CLI to be done' },
    ).catch((error: unknown) => {
      // What the daemon said and where the backlog stands, for whoever reads a failure.
      console.log(daemon.lines.slice(-80).join('\n'));
      const store = new Store(orchPaths(home).database);
      console.log(JSON.stringify(store.backlog.list('alpha'), null, 1));
      for (const c of store.cycles.list('alpha')) console.log(c.runId, c.summary, JSON.stringify(store.tasks.listByRun(c.runId).map((t) => [t.key, t.status, t.reason])));
      store.close();
      throw error;
    });
    expect(Date.now() - started).toBeLessThan(240_000);

    // The added task was done by the next cycle of alpha: the first one whose planner saw it (a cycle that was
    // already composing its goal when the task arrived may come between, at most one).
    const createdAt = withStore(home, (store) => store.backlog.get(taskId).createdAt);
    const after = withStore(home, (store) => store.cycles.list('alpha').reverse().filter((c) => c.startedAt > createdAt).map((c) => ({ runId: c.runId, saw: store.runs.get(c.runId).goal.includes('ALPHA-MANUAL') })));
    const doer = after.findIndex((c) => c.saw);
    expect(doer).toBeGreaterThanOrEqual(0);
    expect(doer).toBeLessThanOrEqual(1);
    expect(manualDone.lastRunId).toBe(after[doer]?.runId);

    // Each target holds its project's work; the user's checkout (branch work) is untouched.
    expect(await alphaRepo.git(['show', 'main:one.txt'])).toBe('ALPHA-ONE');
    expect(await alphaRepo.git(['show', 'main:manual.txt'])).toBe('ALPHA-MANUAL');
    expect(await betaRepo.git(['show', 'main:one.txt'])).toBe('BETA-ONE');
    expect(await betaRepo.git(['show', 'main:two.txt'])).toBe('BETA-TWO');
    expect(existsSync(join(alpha, 'one.txt'))).toBe(false);

    // Cycle 2's planner was told what cycle 1 did.
    const betaPlanner2 = server.requestLog.find((r) => r.script === 'beta-2');
    expect(JSON.stringify(betaPlanner2?.body)).toContain('merged: C1 BETA-ONE');
    // The audit trail: a plan per cycle with its results and cost.
    const plans = readdirSync(join(beta, '.orch', 'plans'));
    expect(plans.filter((f) => /^cycle_run_.+\.md$/.test(f)).length).toBeGreaterThanOrEqual(2);
    const firstPlan = readFileSync(join(beta, '.orch', 'plans', `cycle_${settledCycles(home, 'beta').at(-1)?.runId ?? ''}.md`), 'utf8');
    expect(firstPlan).toContain('BETA-ONE');
    expect(firstPlan).toMatch(/C1 \| BETA-ONE write one.txt \| merged \| \$\d/);

    const status = await runOrch(['status', '--json'], { cwd: alpha, home });
    expect(status.exitCode, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout) as Status;
    expect(parsed.daemon.running).toBe(true);
    const a = parsed.projects.find((p) => p.name === 'alpha');
    const b = parsed.projects.find((p) => p.name === 'beta');
    expect(a).toMatchObject({ state: 'active', tasks: { done: 1 } });
    expect(a?.cycles).toBeGreaterThanOrEqual(2);
    expect(b?.cycles).toBeGreaterThanOrEqual(2);
    expect(a?.costTotalUsd).toBeGreaterThan(0);
    expect(b?.costTodayUsd).toBeGreaterThan(0);
    expect(Date.parse(a?.nextCycleAt ?? '')).toBeGreaterThan(0);
    const text = await runOrch(['status'], { cwd: alpha, home });
    expect(text.stdout).toMatch(/daemon up/);
    expect(text.stdout).toMatch(/alpha .*: active/);
    expect(text.stdout).toMatch(/tasks: \d+ pending, \d+ running, 1 done/);

    // A second daemon on the same ORCH_HOME refuses.
    const second = await runOrch(['start'], { cwd: alpha, home, env });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain('already runs');

    daemon.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    const down = JSON.parse((await runOrch(['status', '--json'], { cwd: alpha, home })).stdout) as Status;
    expect(down.daemon.running).toBe(false);
  }, 400_000);
});
