import { describe, expect, it } from 'vitest';
import { fakeCheck, fakeStrategyContext } from '../testkit/index.ts';
import { single } from './single.ts';

const run = (fake: ReturnType<typeof fakeStrategyContext>) => single.execute(fake.ctx, fake.ctx.goal, single.params.parse({}));

describe('the single strategy', () => {
  it('makes one attempt, judges it, and merges it when its checks pass', async () => {
    const fake = fakeStrategyContext();
    const outcome = await run(fake);
    expect(fake.keys()).toEqual(['attempt/0', 'judge/attempt/0', 'merge']);
    expect(outcome).toMatchObject({ status: 'succeeded', winner: 'att_1', merge: { status: 'merged', attemptId: 'att_1' } });
  });

  it('merges nothing when the checks fail, and says which check failed', async () => {
    const fake = fakeStrategyContext({ script: { judge: () => ({ passed: false, checks: [fakeCheck('lint', true), fakeCheck('unit', false)] }) } });
    const outcome = await run(fake);
    expect(fake.keys('merge')).toEqual([]);
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toContain('failed its checks (unit)');
  });

  it('does not judge an attempt that failed, and reports why it failed', async () => {
    const fake = fakeStrategyContext({ script: { attempt: () => ({ status: 'failed', reason: 'auth', detail: 'not logged in' }) } });
    const outcome = await run(fake);
    expect(fake.keys()).toEqual(['attempt/0']);
    expect(outcome).toMatchObject({ status: 'failed', summary: 'The attempt ended failed (auth): not logged in' });
  });

  it('fails the run when the merge conflicts', async () => {
    const fake = fakeStrategyContext({ script: { merge: () => ({ status: 'conflict', message: 'conflict in src/a.ts' }) } });
    const outcome = await run(fake);
    expect(outcome).toMatchObject({ status: 'failed', summary: 'conflict in src/a.ts' });
  });

  it('finds its finished steps again on a resume, and does only the rest', async () => {
    let judged = 0;
    const script = {
      judge: () => {
        if (judged++ === 0) throw new Error('the machine went down');
        return {};
      },
    };
    const first = fakeStrategyContext({ script });
    await expect(run(first)).rejects.toThrow('the machine went down');
    const resumed = fakeStrategyContext({ script, replayFrom: first });
    const outcome = await run(resumed);
    expect(resumed.keys()).toEqual(['attempt/0', 'judge/attempt/0', 'merge']);
    expect(resumed.steps.map((s) => s.replayed)).toEqual([true, false, false]);
    expect(outcome).toMatchObject({ status: 'succeeded', winner: 'att_1' });
  });
});
