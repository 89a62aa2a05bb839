import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../domain/errors.ts';
import type { AttemptRequest } from '../domain/strategy.ts';
import { fakeCheck, fakeStrategyContext, type FakePlannedTask, type StrategyScript } from '../testkit/index.ts';
import { plan } from './plan.ts';

function runPlan(params: Record<string, unknown>, script: StrategyScript) {
  const fake = fakeStrategyContext({ script, goal: 'build the shop' });
  return { fake, outcome: plan.execute(fake.ctx, fake.ctx.goal, plan.params.parse(params)) };
}

/** The planner answers `tasks` for the top level and `subtasks` for any subplan. */
const planner = (tasks: readonly FakePlannedTask[], subtasks: readonly FakePlannedTask[] = []): StrategyScript['plan'] => (_key, request) =>
  request.parent === undefined ? tasks : subtasks;

/** Let every pending promise callback run (the fake answers in microtasks; nothing here waits on a clock). */
const drain = () => new Promise((resolve) => setImmediate(resolve));

const statusesOf = (fake: ReturnType<typeof fakeStrategyContext>, task: string) => fake.taskStatuses.filter((s) => s.task === task).map((s) => s.status);

describe('the plan strategy', () => {
  it('runs independent tasks in parallel and a dependent task only after both merged', async () => {
    const gates = new Map<string, () => void>();
    const { fake, outcome } = runPlan(
      {},
      {
        plan: planner([{ id: 'a' }, { id: 'b' }, { id: 'c', dependsOn: ['a', 'b'] }]),
        attempt: (key) => (key === 'task/c/attempt/0' ? {} : new Promise((resolve) => gates.set(key, () => resolve({})))),
      },
    );
    await drain();
    expect(fake.keys('attempt')).toEqual(['task/a/attempt/0', 'task/b/attempt/0']);
    gates.get('task/a/attempt/0')?.();
    await drain();
    expect(fake.keys('attempt')).not.toContain('task/c/attempt/0');
    gates.get('task/b/attempt/0')?.();
    const result = await outcome;
    const keys = fake.keys();
    expect(keys.indexOf('task/c/attempt/0')).toBeGreaterThan(Math.max(keys.indexOf('task/a/merge'), keys.indexOf('task/b/merge')));
    expect(result).toEqual({ status: 'succeeded', summary: 'Plan run: all 3 tasks merged into main.' });
    expect(statusesOf(fake, 'c')).toEqual(['running', 'merged']);
  });

  it("merges each task through the refinery into the run's target, tagged with the task", async () => {
    const { fake, outcome } = runPlan({}, { plan: planner([{ id: 'a' }]) });
    await outcome;
    expect(fake.steps.find((s) => s.key === 'task/a/merge')).toMatchObject({ input: { target: 'main', refinery: true }, result: { taskKey: 'a', status: 'merged' } });
    expect(fake.steps.find((s) => s.key === 'task/a/attempt/0')?.result).toMatchObject({ taskKey: 'a' });
  });

  it('blocks the tasks that depend on a failed one, and lets the others go on', async () => {
    const { fake, outcome } = runPlan(
      {},
      {
        plan: planner([{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['b'] }, { id: 'd' }]),
        judge: (key) => ({ passed: !key.startsWith('task/a/') }),
      },
    );
    const result = await outcome;
    expect(fake.keys('attempt')).toEqual(['task/a/attempt/0', 'task/d/attempt/0']);
    expect(statusesOf(fake, 'a')).toEqual(['running', 'failed']);
    expect(statusesOf(fake, 'b')).toEqual(['blocked']);
    expect(statusesOf(fake, 'c')).toEqual(['blocked']);
    expect(statusesOf(fake, 'd')).toEqual(['running', 'merged']);
    expect(result.status).toBe('failed');
    expect(result.summary).toContain('1 of 4 tasks merged into main; failed: a');
  });

  it('sends a task whose merged tree fails the checks back with the failure, under new keys', async () => {
    const { fake, outcome } = runPlan(
      { retries: 2 },
      {
        plan: planner([{ id: 'a' }]),
        merge: (key) => (key === 'task/a/merge' ? { status: 'checks_failed', checks: [fakeCheck('unit', false, { outputTail: 'clash with b' })] } : {}),
      },
    );
    const result = await outcome;
    expect(fake.keys()).toEqual(['plan/run', 'task/a/attempt/0', 'task/a/judge/attempt/0', 'task/a/merge', 'task/a/retry/1/attempt/0', 'task/a/retry/1/judge/attempt/0', 'task/a/retry/1/merge']);
    const retry = fake.steps.find((s) => s.key === 'task/a/retry/1/attempt/0')?.input as AttemptRequest;
    expect(retry.feedback).toContain('the merged result failed the project\'s checks');
    expect(retry.feedback).toContain('clash with b');
    expect(fake.notes.map((n) => n.message)).toEqual(['task a: merge failed the checks; retry 1 of 2']);
    expect(result.status).toBe('succeeded');
  });

  it('gives a task up after its retries', async () => {
    const { fake, outcome } = runPlan({ retries: 1 }, { plan: planner([{ id: 'a' }]), merge: () => ({ status: 'checks_failed', message: 'checks failed on main' }) });
    const result = await outcome;
    expect(fake.keys('merge')).toEqual(['task/a/merge', 'task/a/retry/1/merge']);
    expect(fake.taskStatuses.at(-1)).toEqual({ task: 'a', status: 'failed', reason: 'checks failed on main (after 1 retries)' });
    expect(result.status).toBe('failed');
  });

  it('plans a large task again into subtasks on a team branch, which merges upward once they land', async () => {
    const { fake, outcome } = runPlan({ depth: 2 }, { plan: planner([{ id: 'api', large: true }], [{ id: 'auth' }, { id: 'users', dependsOn: ['auth'] }]) });
    const result = await outcome;
    expect(fake.keys()).toEqual([
      'plan/run',
      'team/api',
      'plan/api',
      'task/api/auth/attempt/0',
      'task/api/auth/judge/attempt/0',
      'task/api/auth/merge',
      'task/api/users/attempt/0',
      'task/api/users/judge/attempt/0',
      'task/api/users/merge',
      'merge/team/api',
    ]);
    expect(fake.steps.find((s) => s.key === 'plan/api')?.input).toMatchObject({ depth: 2, parent: 'api', allowLarge: false });
    expect(fake.steps.find((s) => s.key === 'task/api/auth/merge')?.input).toMatchObject({ target: 'orch/run_fake/team/api' });
    expect(fake.steps.find((s) => s.key === 'merge/team/api')?.input).toEqual({ attemptId: null, branch: 'orch/run_fake/team/api', target: 'main' });
    expect([...fake.reports.keys()]).toEqual(['levels/2-api.md', 'levels/1-run.md', 'plan-result.md']);
    expect(result.status).toBe('succeeded');
  });

  it('works a large task as one task when there is no depth left', async () => {
    const { fake, outcome } = runPlan({ depth: 1 }, { plan: planner([{ id: 'api', large: true }]) });
    await outcome;
    expect(fake.keys('teamBranch')).toEqual([]);
    expect(fake.keys('attempt')).toEqual(['task/api/attempt/0']);
    expect(fake.steps[0]?.input).toMatchObject({ allowLarge: false });
  });

  it('works each task with the worker strategy and its n', async () => {
    const { fake, outcome } = runPlan({ worker: 'best-of-n', n: 2 }, { plan: planner([{ id: 'a' }]) });
    await outcome;
    expect(fake.keys('attempt')).toEqual(['task/a/attempt/0', 'task/a/attempt/1']);
    expect(fake.keys('select')).toEqual(['task/a/select']);
  });

  it('ends failed with the planner\'s reason when there is no plan', async () => {
    const { fake, outcome } = runPlan({}, { plan: () => ({ status: 'failed', summary: 'the planner answered no JSON' }) });
    expect(await outcome).toEqual({ status: 'failed', summary: 'Plan run: the planner answered no JSON.' });
    expect(fake.keys()).toEqual(['plan/run']);
  });

  it('refuses an unknown worker with its parameters, before planning anything', () => {
    const parsed = plan.params.safeParse({ worker: 'plan' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('"single"|"best-of-n"|"iterative"|"tournament"');
  });

  it("counts one task's error as that task's failure", async () => {
    const { fake, outcome } = runPlan(
      {},
      { plan: planner([{ id: 'a' }, { id: 'b' }]), attempt: (key) => (key.startsWith('task/a/') ? Promise.reject(new Error('disk full')) : {}) },
    );
    const result = await outcome;
    expect(fake.taskStatuses.find((s) => s.task === 'a' && s.status === 'failed')?.reason).toBe('error: disk full');
    expect(statusesOf(fake, 'b')).toEqual(['running', 'merged']);
    expect(result.status).toBe('failed');
  });

  it('stops starting tasks when the run is interrupted, and raises once the running ones settle', async () => {
    let releaseB!: () => void;
    let bDone = false;
    const { fake, outcome } = runPlan(
      {},
      {
        plan: planner([{ id: 'a' }, { id: 'b' }, { id: 'c', dependsOn: ['a'] }]),
        attempt: async (key) => {
          if (key.startsWith('task/a/')) throw new InterruptedError();
          if (key.startsWith('task/b/')) await new Promise<void>((resolve) => (releaseB = resolve));
          bDone = key.startsWith('task/b/');
          return {};
        },
      },
    );
    let settled = false;
    const caught = outcome.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    void caught.then(() => (settled = true));
    await drain();
    expect(settled).toBe(false);
    releaseB();
    expect(await caught).toBeInstanceOf(InterruptedError);
    expect(bDone).toBe(true);
    expect(fake.keys('attempt')).not.toContain('task/c/attempt/0');
    expect(fake.reports.size).toBe(0);
  });

  it('writes a level report and a final report that links it', async () => {
    const { fake, outcome } = runPlan({}, { plan: planner([{ id: 'a', title: 'Add a | pipe' }]) });
    await outcome;
    expect(fake.reports.get('levels/1-run.md')).toContain('| a | Add a \\| pipe | - |  | Merged att_1 into main. |');
    expect(fake.reports.get('plan-result.md')).toContain('# Plan run: all merged');
    expect(fake.reports.get('plan-result.md')).toContain('- level 1: [levels/1-run.md](levels/1-run.md) — 1 tasks into `main`');
  });
});
