// A unit test of your own strategy, with no agent, git or model: the fake context of `orch/testkit` answers each
// step from a script and records what the strategy asked for. Copy it next to your strategy and run `vitest`.
import { describe, expect, it } from 'vitest';
import { fakeStrategyContext, type StrategyScript } from 'orch/testkit';
import twoThenRefine from './two-then-refine.ts';

function run(script: StrategyScript) {
  const fake = fakeStrategyContext({ script });
  const outcome = twoThenRefine.execute(fake.ctx, fake.ctx.goal, twoThenRefine.params.parse({ models: 'opus,sonnet' }));
  return { fake, outcome };
}

describe('two-then-refine', () => {
  it('tries both models and merges the better attempt when it passes', async () => {
    const { fake, outcome } = run({});
    expect(await outcome).toMatchObject({ status: 'succeeded', winner: 'att_1' });
    expect(fake.keys()).toEqual(['try/0', 'try/1', 'judge/try/0', 'judge/try/1', 'select', 'merge']);
    expect(fake.results<{ model: string }>('attempt').map((a) => a.model)).toEqual(['opus', 'sonnet']);
  });

  it('refines the better attempt once, with its failed checks, when neither passes', async () => {
    const { fake, outcome } = run({ judge: (key) => ({ passed: key === 'judge/refine' }) });
    expect(await outcome).toMatchObject({ status: 'succeeded', winner: 'att_3' });
    expect(fake.keys()).toEqual(['try/0', 'try/1', 'judge/try/0', 'judge/try/1', 'select', 'refine', 'judge/refine', 'select/refine', 'merge']);
    const refine = fake.steps.find((s) => s.key === 'refine');
    expect(refine?.input).toMatchObject({ continueFrom: { id: 'att_1' }, feedback: 'test:\nFAIL test' });
    expect(fake.notes.map((n) => n.message)).toEqual(['refining the better attempt once']);
  });

  it('merges nothing when the refined attempt fails too', async () => {
    const { fake, outcome } = run({ judge: () => ({ passed: false }) });
    expect(await outcome).toMatchObject({ status: 'failed', summary: 'No attempt passed the checks.' });
    expect(fake.keys('merge')).toEqual([]);
  });
});
