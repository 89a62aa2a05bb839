// The portfolio daemon when things go wrong: killed -9 in the middle of a cycle, every credential rate-limited, a
// project at its daily budget. Real Claude Code against the scripted model server, the real CLI, real git.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/process/registry.ts';
import { claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { useDaemons } from '../helpers/daemon.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { agentProcesses, cycles, plannerScript, sampleRepo, settledCycles, withStore, workerScript, writePortfolio } from '../helpers/portfolio.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const startDaemon = useDaemons();

interface Status {
  projects: { name: string; state: string; why: string | null; cycles: number; costTodayUsd: number; nextCycleAt: string | null }[];
}

describe('portfolio daemon, recovery', () => {
  it('kill -9 mid-cycle, then orch start: the cycle resumes, no task runs twice, no orphan process or worktree', async () => {
    const server = await serve({
      scripts: [
        plannerScript('planner', 'portfolio project "solo"', [
          { id: 'T1', title: 'TASK-ONE write one.txt', description: 'Create one.txt.' },
          { id: 'T2', title: 'TASK-TWO write two.txt', description: 'Create two.txt.' },
        ]),
        // TASK-TWO's first request never answers: the daemon dies while its agent waits. The resumed Claude session
        // holds a synthetic assistant message, so the write comes twice (once for either turn it may ask for).
        workerScript('TASK-TWO', 'two.txt', [{ hang: true, times: 1 }, { tool: 'Write', input: { file_path: '{{cwd}}/two.txt', content: 'TASK-TWO\n' } }]),
        workerScript('TASK-ONE', 'one.txt'),
      ],
    });
    // Without the OS sandbox: a sandboxed agent dies with its orch (bwrap --die-with-parent), leaving no orphan to find.
    const repo = await sampleRepo(temp, { sandbox: { mode: 'none' } });
    const home = await temp.dir();
    writePortfolio(home, { projects: [{ name: 'solo', path: repo.root, target: 'main', cycle_interval_minutes: 60, max_workers: 2, test_command: 'test -f README.md' }] });
    const env = { ...claudeEnv(server, join(home, 'claude')), ORCH_TEST_MARKER: home };

    const first = startDaemon([], { home, env });
    const runId = await waitFor(() => cycles(home, 'solo')[0]?.runId, { timeoutMs: 60_000, what: 'the cycle to start' });
    await waitFor(() => withStore(home, (s) => s.tasks.listByRun(runId).find((t) => t.key === 'T1')?.status === 'merged'), { timeoutMs: 120_000, intervalMs: 100, what: 'TASK-ONE to merge' });
    await waitFor(() => server.requestLog.some((r) => r.script === 'TASK-TWO'), { timeoutMs: 60_000, what: "TASK-TWO's agent at work" });
    const left: number[] = await waitFor(() => (agentProcesses(home).length > 0 ? agentProcesses(home) : null), { what: 'the agent process' });
    first.kill('SIGKILL');
    await first.exited;
    expect(left.some((pid) => isAlive(pid))).toBe(true);

    const second = startDaemon([], { home, env });
    await waitFor(() => settledCycles(home, 'solo').length === 1, { timeoutMs: 120_000, intervalMs: 200, what: 'the resumed cycle to end' });
    expect(second.lines.join('\n')).toContain('interrupted cycle resumed');

    const report = withStore(home, (s) => ({ run: s.runs.get(runId), attempts: s.attempts.listByRun(runId), tasks: s.tasks.listByRun(runId) }));
    if (report.run.status !== 'succeeded') console.log(second.lines.join('\n'), JSON.stringify(report, null, 1));
    expect(report.run.status).toBe('succeeded');
    expect(report.tasks.map((t) => [t.key, t.status]).sort()).toEqual([
      ['T1', 'merged'],
      ['T2', 'merged'],
    ]);
    // TASK-ONE ran once: one attempt, one conversation at the model.
    expect(report.attempts.filter((a) => a.taskKey === 'T1')).toHaveLength(1);
    expect(new Set(server.requestLog.filter((r) => r.script === 'TASK-ONE').map((r) => r.conversation)).size).toBe(1);
    expect(await repo.git(['show', 'main:one.txt'])).toBe('TASK-ONE');
    expect(await repo.git(['show', 'main:two.txt'])).toBe('TASK-TWO');
    // One cycle in all: the restart resumed it rather than starting another (the next tick is an hour away).
    expect(cycles(home, 'solo')).toHaveLength(1);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(left.filter((pid) => isAlive(pid))).toEqual([]);
    expect(agentProcesses(home)).toEqual([]);
    expect((await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
  }, 300_000);

  it('SIGTERM mid-cycle: no new work, the daemon exits 0 leaving the cycle interrupted, and the next start finishes it', async () => {
    const server = await serve({
      scripts: [
        plannerScript('planner', 'portfolio project "calm"', [{ id: 'T1', title: 'TASK-CALM write one.txt', description: 'Create one.txt.' }]),
        workerScript('TASK-CALM', 'one.txt', [{ hang: true, times: 1 }, { tool: 'Write', input: { file_path: '{{cwd}}/one.txt', content: 'TASK-CALM\n' } }]),
      ],
    });
    const repo = await sampleRepo(temp);
    const home = await temp.dir();
    writePortfolio(home, { projects: [{ name: 'calm', path: repo.root, target: 'main', cycle_interval_minutes: 60 }] });
    const env = claudeEnv(server, join(home, 'claude'));
    const first = startDaemon([], { home, env });
    await waitFor(() => server.requestLog.some((r) => r.script === 'TASK-CALM'), { timeoutMs: 90_000, what: "the worker's agent at work" });
    first.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    const runId = cycles(home, 'calm')[0]?.runId ?? '';
    expect(withStore(home, (s) => s.runs.get(runId).status)).toBe('interrupted');
    expect(first.lines.join('\n')).toContain('resume at the next');
    const status = JSON.parse((await runOrch(['status', '--json'], { cwd: repo.root, home })).stdout) as { daemon: { running: boolean } };
    expect(status.daemon.running).toBe(false);

    const second = startDaemon([], { home, env });
    await waitFor(() => settledCycles(home, 'calm').length === 1, { timeoutMs: 120_000, intervalMs: 200, what: 'the resumed cycle to end' });
    expect(withStore(home, (s) => s.runs.get(runId).status)).toBe('succeeded');
    expect(await repo.git(['show', 'main:one.txt'])).toBe('TASK-CALM');
    expect(cycles(home, 'calm')).toHaveLength(1);
    second.kill('SIGTERM');
    await second.exited;
  }, 300_000);

  it('every credential rate-limited with a reset 20 s ahead: the daemon waits, goes on at the reset, the task is not failed', async () => {
    const resetAt = new Date(Date.now() + 20_000);
    const server = await serve({
      scripts: [
        plannerScript('planner', 'portfolio project "limited"', [{ id: 'T1', title: 'TASK-LIMITED write one.txt', description: 'Create one.txt.' }]),
        workerScript('TASK-LIMITED', 'one.txt', [{ error: { status: 429, message: `usage limit reached; resets at ${resetAt.toISOString()}` }, times: 1 }]),
      ],
    });
    const repo = await sampleRepo(temp);
    const home = await temp.dir();
    writePortfolio(home, { projects: [{ name: 'limited', path: repo.root, target: 'main', cycle_interval_minutes: 60, test_command: 'test -f README.md' }] });
    const daemon = startDaemon([], { home, env: claudeEnv(server, join(home, 'claude')) });
    await waitFor(() => settledCycles(home, 'limited').length === 1, { timeoutMs: 180_000, intervalMs: 300, what: 'the cycle to end' });
    const worker = server.requestLog.filter((r) => r.script === 'TASK-LIMITED' && r.route === 'messages');
    const limited = worker.find((r) => r.answer === 'error');
    const after = worker.filter((r) => r.answer !== 'error');
    expect(limited).toBeDefined();
    const runId = cycles(home, 'limited')[0]?.runId ?? '';
    const { run, attempts, events } = withStore(home, (s) => ({ run: s.runs.get(runId), attempts: s.attempts.listByRun(runId), events: s.events.since(runId, 0, 100_000) }));
    expect(run.status).toBe('succeeded');
    expect(attempts.map((a) => a.status)).toEqual(['succeeded']);
    expect(events.some((e) => e.type === 'credential.cooldown')).toBe(true);
    // The credential rested until the reset the message named (not the 60 s default), and the agent went on then.
    const cooled = events.find((e) => e.type === 'credential.cooldown');
    expect(Number(cooled?.data['forMs'])).toBeLessThanOrEqual(20_000);
    const restarted = events.filter((e) => e.type === 'attempt.started').at(-1);
    expect(Date.parse(restarted?.at ?? '')).toBeGreaterThanOrEqual(resetAt.getTime() - 1000);
    expect(Date.parse(restarted?.at ?? '') - resetAt.getTime()).toBeLessThan(15_000);
    expect(after.length).toBeGreaterThan(0);
    expect(await repo.git(['show', 'main:one.txt'])).toBe('TASK-LIMITED');
    daemon.kill('SIGTERM');
    await daemon.exited;
  }, 300_000);

  it('a project at its daily budget starts no cycle, and orch status says why', async () => {
    const server = await serve({
      scripts: [plannerScript('planner', 'portfolio project "frugal"', [{ id: 'T1', title: 'TASK-FRUGAL write one.txt', description: 'Create one.txt.' }]), workerScript('TASK-FRUGAL', 'one.txt')],
    });
    const repo = await sampleRepo(temp);
    const home = await temp.dir();
    // A cap below what one planner call costs: the first cycle spends it all.
    writePortfolio(home, { projects: [{ name: 'frugal', path: repo.root, target: 'main', schedule: '*/2 * * * * *', budget: { daily_usd: 0.0005 } }] });
    const daemon = startDaemon([], { home, env: claudeEnv(server, join(home, 'claude')) });
    await waitFor(() => settledCycles(home, 'frugal').length === 1, { timeoutMs: 120_000, intervalMs: 200, what: 'the first cycle to end' });
    await waitFor(() => daemon.lines.some((l) => l.includes('no cycle started') && l.includes('daily budget of frugal is spent')), { timeoutMs: 30_000, what: 'a tick refused for the budget' });
    expect(cycles(home, 'frugal')).toHaveLength(1);
    const status = JSON.parse((await runOrch(['status', '--json'], { cwd: repo.root, home })).stdout) as Status;
    const frugal = status.projects[0];
    expect(frugal?.state).toBe('held');
    expect(frugal?.why).toMatch(/daily budget of frugal is spent \(\$0\.00\); cycles start again at \d{4}-\d\d-\d\dT00:00:00/);
    expect(frugal?.costTodayUsd).toBeGreaterThan(0.0005);
    const text = await runOrch(['status'], { cwd: repo.root, home });
    expect(text.stdout).toContain('frugal');
    expect(text.stdout).toContain('held — daily budget of frugal is spent');
    daemon.kill('SIGTERM');
    await daemon.exited;
  }, 300_000);
});
