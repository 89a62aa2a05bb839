import { describe, expect, it } from 'vitest';
import { fakeStrategyContext, type FakePlannedTask } from '../testkit/index.ts';
import { cycle } from './cycle.ts';

function runCycle(params: Record<string, unknown>, tasks: readonly FakePlannedTask[]) {
  const fake = fakeStrategyContext({ script: { plan: () => tasks }, goal: 'cycle of project "app"' });
  return { fake, outcome: cycle.execute(fake.ctx, fake.ctx.goal, cycle.params.parse(params)) };
}

describe('the cycle strategy', () => {
  it('plans from the goal it is given and merges every task through the refinery, as plan does', async () => {
    const { fake, outcome } = runCycle({ project: 'app', maxTasks: 3 }, [{ id: 'B1' }, { id: 'x', dependsOn: ['B1'] }]);
    expect(await outcome).toEqual({ status: 'succeeded', summary: 'Cycle: all 2 tasks merged into main.' });
    expect(fake.steps.find((s) => s.method === 'plan')?.input).toMatchObject({ goal: 'cycle of project "app"', maxTasks: 3 });
    expect(fake.keys('merge')).toEqual(['task/B1/merge', 'task/x/merge']);
  });

  it('does not run a task that failed in an earlier cycle when the planner emits it unchanged, nor what depends on it', async () => {
    const { fake, outcome } = runCycle({ avoid: [{ title: 'task  A', description: 'do a' }] }, [
      { id: 'a', title: 'Task A', description: 'do   a' },
      { id: 'a2', title: 'Task A, first half', description: 'do half of a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
    ]);
    expect((await outcome).status).toBe('succeeded');
    expect(fake.keys('attempt')).toEqual(['task/a2/attempt/0']);
    const blocked = fake.taskStatuses.filter((s) => s.status === 'blocked');
    expect(blocked.map((s) => s.task).sort()).toEqual(['a', 'b']);
    expect(blocked[0]?.reason).toContain('failed in an earlier cycle');
  });

  it('does not run a task naming a backlog item that left the backlog (or a piece of it), nor what depends on it, and says why', async () => {
    const { fake, outcome } = runCycle({ closed: [{ key: 'B2', reason: 'issue #7 was closed on GitHub' }] }, [
      { id: 'B1' },
      { id: 'B2' },
      { id: 'B2.1' },
      { id: 'B20' },
      { id: 'after', dependsOn: ['B2.1'] },
    ]);
    expect((await outcome).status).toBe('succeeded');
    expect(fake.keys('attempt').sort()).toEqual(['task/B1/attempt/0', 'task/B20/attempt/0']);
    const blocked = Object.fromEntries(fake.taskStatuses.filter((s) => s.status === 'blocked').map((s) => [s.task, s.reason]));
    expect(blocked).toEqual({
      B2: 'backlog item B2 is not open: issue #7 was closed on GitHub',
      'B2.1': 'backlog item B2 is not open: issue #7 was closed on GitHub',
      after: 'it depends on B2.1, which is not run: backlog item B2 is not open: issue #7 was closed on GitHub',
    });
  });

  it('refuses an unknown worker strategy with the names it knows', () => {
    // The worker is an enum of plan's parameters: refused with the run's other bad input, before anything runs.
    expect(() => runCycle({ worker: 'swarm' }, [{ id: 'a' }])).toThrow(/single/);
  });
});
