// The fake strategy context must behave like the engine wherever a strategy could tell the difference.
import { describe, expect, it } from 'vitest';
import { defineStrategy } from '../domain/strategy.ts';
import { z } from 'zod';
import { fakeStrategyContext } from './strategy-context.ts';

describe('the fake strategy context', () => {
  it('refuses a step key used twice in one run, as the engine would replay the first result', async () => {
    const fake = fakeStrategyContext();
    await fake.ctx.attempt('attempt/0');
    await expect(fake.ctx.attempt('attempt/0')).rejects.toThrow("the step key 'attempt/0' is used twice in one run");
    expect(() => fake.ctx.select('attempt/0', [])).toThrow('used twice');
  });

  it('prefixes the keys of a task context, which shares the run', async () => {
    const fake = fakeStrategyContext();
    const planned = await fake.ctx.plan('plan/run', { goal: 'g', depth: 1, maxTasks: 5, allowLarge: false, contextFiles: [] });
    expect(planned.status).toBe('failed'); // no plan in the script
    const scripted = fakeStrategyContext({ script: { plan: () => [{ id: 'a' }] } });
    const result = await scripted.ctx.plan('plan/run', { goal: 'g', depth: 1, maxTasks: 5, allowLarge: false, contextFiles: [] });
    if (result.status !== 'planned') throw new Error('expected a plan');
    const task = await scripted.ctx.forTask(result.tasks[0]!, 'main');
    const attempt = await task.attempt('attempt/0');
    expect(attempt).toMatchObject({ taskKey: 'a', stepKey: 'task/a/attempt/0' });
    expect(scripted.keys()).toEqual(['plan/run', 'task/a/attempt/0']);
  });

  it('answers an earlier run\'s finished steps on a resume, but runs an interrupted attempt again', async () => {
    const first = fakeStrategyContext({ script: { attempt: (key) => (key === 'b' ? { status: 'interrupted', reason: 'interrupted' } : {}) } });
    const a = await first.ctx.attempt('a');
    await first.ctx.attempt('b');
    const resumed = fakeStrategyContext({ replayFrom: first });
    expect(await resumed.ctx.attempt('a')).toEqual(a);
    const b = await resumed.ctx.attempt('b');
    expect(b.status).toBe('succeeded');
    expect(b.n).toBe(3); // numbered after the earlier run's attempts
    expect(resumed.steps.map((s) => [s.key, s.replayed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('aborts the signal a strategy sees', async () => {
    const waits = defineStrategy({
      name: 'waits',
      description: 'waits for the signal',
      params: z.object({}),
      execute: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ status: 'failed', summary: 'stopped' }))),
    });
    const fake = fakeStrategyContext();
    const outcome = waits.execute(fake.ctx, fake.ctx.goal, {});
    fake.abort();
    expect(await outcome).toEqual({ status: 'failed', summary: 'stopped' });
  });
});
