// The run lifecycle through the engine alone, as the CLI, the API and a daemon use it: real git, real SQLite,
// the fake command agent as the agent.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempRepos } from '../../../test/helpers/git-fixture.ts';
import { fakeAgentConfig } from '../../../test/helpers/orch-cli.ts';
import { waitFor } from '../../../test/helpers/wait-for.ts';
import { ConflictError } from '../../domain/errors.ts';
import { orchPaths } from '../../domain/paths.ts';
import { processStartTime } from '../../process/registry.ts';
import { Store } from '../../store/store.ts';
import { Engine } from './engine.ts';

const temp = useTempRepos();
const open: { engine: Engine; store: Store }[] = [];
const children: ReturnType<typeof spawn>[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const { engine, store } of open.splice(0)) {
    await engine.stopAll();
    store.close();
  }
});

async function setUp(plan: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': fakeAgentConfig(plan, extra) } });
  await repo.git(['switch', '--quiet', '-c', 'other']);
  const home = await temp.dir();
  const store = new Store(orchPaths(home).database);
  const engine = new Engine({ store, home });
  open.push({ engine, store });
  return { repo, store, engine };
}

const runningAttempt = (store: Store, runId: string) => waitFor(() => store.attempts.listByRun(runId).find((a) => a.status === 'running' && a.pid !== null), { what: 'a running attempt', timeoutMs: 60_000 });

/** A live process that is not this one, holding the run's lease as another orch would. */
async function leaseToAnotherProcess(store: Store, runId: string): Promise<number> {
  const owner = spawn('sleep', ['60']);
  children.push(owner);
  await new Promise((resolve) => owner.once('spawn', resolve));
  const pid = owner.pid ?? 0;
  store.runs.renewLease(runId, pid, processStartTime(pid), 30_000);
  return pid;
}

describe('the engine owns the run lifecycle', () => {
  it('startRun answers with the id once the run exists; done gives the report', async () => {
    const { repo, store, engine } = await setUp({ files: { 'a.txt': 'a\n' } });
    const { runId, done } = await engine.startRun({ repoPath: repo.root, goal: 'make a', target: 'main' });
    expect(store.runs.find(runId)).toBeDefined();
    expect(engine.isLive(runId)).toBe(true);
    const report = await done;
    expect(report.run).toMatchObject({ id: runId, status: 'succeeded' });
    expect(engine.isLive(runId)).toBe(false);
    expect(await repo.git(['show', 'main:a.txt'])).toBe('a');
  });

  it('resumes a run once: a second resume while it runs here is refused', async () => {
    const { repo, store, engine } = await setUp({ hang: true });
    const { runId } = await engine.startRun({ repoPath: repo.root, goal: 'hang', target: 'main' });
    await runningAttempt(store, runId);
    await engine.stopAll();
    expect(store.runs.get(runId).status).toBe('interrupted');

    const [first, second] = await Promise.allSettled([engine.resumeRun(runId), engine.resumeRun(runId)]);
    expect(first.status).toBe('fulfilled');
    expect(second.status === 'rejected' && second.reason instanceof ConflictError).toBe(true);
    expect(second.status === 'rejected' && (second.reason as Error).message).toBe(`Run ${runId} is already running in this orch process.`);
    expect(store.runs.get(runId).status).toBe('running');
    expect((await engine.cancel(runId)).status).toBe('canceled');
  });

  it('cancel closes a stopped run for good (its worktree goes) and refuses a run that already ended for good', async () => {
    const { repo, store, engine } = await setUp({ hang: true });
    const { runId } = await engine.startRun({ repoPath: repo.root, goal: 'hang', target: 'main' });
    const attempt = await runningAttempt(store, runId);
    await engine.stopAll();
    // An interrupted run keeps its worktree for the resume…
    expect(existsSync(attempt.worktree)).toBe(true);
    const canceled = await engine.cancel(runId, 'not needed any more');
    expect(canceled).toMatchObject({ status: 'canceled', reason: 'not needed any more' });
    // …a canceled one will not be resumed: the worktree goes, the branch stays.
    expect(existsSync(attempt.worktree)).toBe(false);
    expect(await repo.git(['branch', '--list', attempt.branch])).toContain(attempt.branch);

    const again = engine.cancel(runId);
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow(`Run ${runId} already ended canceled; there is nothing to cancel.`);
    await expect(engine.resumeRun(runId)).rejects.toThrow(`Run ${runId} is canceled; there is nothing to resume.`);
  });

  it('cancel closes a failed run, which then cannot be resumed', async () => {
    const { repo, engine } = await setUp({ exitCode: 1 });
    const { runId, done } = await engine.startRun({ repoPath: repo.root, goal: 'fail', target: 'main' });
    expect((await done).run.status).toBe('failed');
    expect((await engine.cancel(runId)).status).toBe('canceled');
    await expect(engine.resumeRun(runId)).rejects.toThrow(ConflictError);
  });

  it('leaves a run another live orch holds alone: no resume, no cancel, no clean-up of its worktree', async () => {
    const { repo, store, engine } = await setUp({ hang: true });
    const { runId } = await engine.startRun({ repoPath: repo.root, goal: 'hang', target: 'main' });
    const attempt = await runningAttempt(store, runId);
    await engine.stopAll();
    const owner = await leaseToAnotherProcess(store, runId);

    await expect(engine.resumeRun(runId)).rejects.toThrow(`Run ${runId} is being worked on by another orch process (pid ${owner}).`);
    await expect(engine.cancel(runId)).rejects.toThrow(ConflictError);
    expect((await engine.clean()).worktrees).toEqual([]);
    expect(existsSync(attempt.worktree)).toBe(true);
    expect(store.runs.get(runId).status).toBe('interrupted');

    // Once that orch is gone, the run is nobody's: a clean-up removes its worktree (its work committed first).
    children.splice(0).forEach((child) => child.kill('SIGKILL'));
    await waitFor(() => processStartTime(owner) === null, { what: 'the owner to be gone', timeoutMs: 60_000 });
    const dry = await engine.clean({ dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, worktrees: [{ attemptId: attempt.id, path: attempt.worktree, project: repo.root }] });
    expect(existsSync(attempt.worktree)).toBe(true);
    const cleaned = await engine.clean({ branches: true });
    expect(cleaned.branches).toEqual([{ project: repo.root, branch: attempt.branch }]);
    expect(existsSync(attempt.worktree)).toBe(false);
    expect(await repo.git(['branch', '--list', attempt.branch])).toBe('');
  });
});
