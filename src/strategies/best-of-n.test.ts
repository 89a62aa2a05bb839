import { describe, expect, it } from 'vitest';
import type { Attempt } from '../domain/records.ts';
import { fakeStrategyContext, type StrategyScript } from '../testkit/index.ts';
import { bestOfN } from './best-of-n.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

function runBestOfN(params: Record<string, unknown>, script: StrategyScript = {}, settings = {}) {
  const fake = fakeStrategyContext({ script, settings });
  return { fake, outcome: bestOfN.execute(fake.ctx, fake.ctx.goal, bestOfN.params.parse(params)) };
}

describe('the best-of-n strategy', () => {
  it('starts all n attempts at once, judges each, and merges the selected one', async () => {
    const { fake, outcome } = runBestOfN({ n: 3 });
    const result = await outcome;
    expect(fake.keys().slice(0, 3)).toEqual(['attempt/0', 'attempt/1', 'attempt/2']);
    expect(fake.keys('judge').sort()).toEqual(['judge/attempt/0', 'judge/attempt/1', 'judge/attempt/2']);
    expect(fake.keys().slice(-2)).toEqual(['select', 'merge']);
    // Every attempt passes; the fewest changed lines wins (att_1 changes 1 line, att_3 changes 3).
    expect(result).toMatchObject({ status: 'succeeded', winner: 'att_1', selection: { winner: 'att_1', ranking: ['att_1', 'att_2', 'att_3'] } });
    expect(fake.steps.find((s) => s.key === 'merge')?.input).toMatchObject({ attemptId: 'att_1' });
  });

  it('judges each attempt as soon as it finishes, while a slower one still works; selects only after all', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const { fake, outcome } = runBestOfN({ n: 2 }, { attempt: async (key) => (key === 'attempt/0' ? slow.then(() => ({})) : {}) });
    await waitFor(() => fake.keys('judge').length === 1);
    expect(fake.keys('judge')).toEqual(['judge/attempt/1']);
    expect(fake.keys('select')).toEqual([]);
    release();
    await outcome;
    expect(fake.keys('judge')).toEqual(['judge/attempt/1', 'judge/attempt/0']);
    expect(fake.keys().slice(-2)).toEqual(['select', 'merge']);
  });

  it('deals the agents out round-robin, with their models', async () => {
    const { fake, outcome } = runBestOfN({ n: 4, agents: 'claude:opus,codex' });
    await outcome;
    expect(fake.results<Attempt>('attempt').map((a) => `${a.agent}:${a.model ?? '-'}`)).toEqual(['claude:opus', 'codex:-', 'claude:opus', 'codex:-']);
  });

  it("uses the run's agents when the strategy is given none", async () => {
    const { fake, outcome } = runBestOfN({ n: 3 }, {}, { agents: [{ agent: 'gemini' }, { agent: 'aider', model: 'x' }] });
    await outcome;
    expect(fake.results<Attempt>('attempt').map((a) => a.agent)).toEqual(['gemini', 'aider', 'gemini']);
  });

  it('selects the attempt that passes the checks over a smaller one that does not', async () => {
    const { outcome } = runBestOfN({ n: 3 }, { judge: (_key, attempt) => ({ passed: attempt.id === 'att_3' }) });
    const result = await outcome;
    expect(result).toMatchObject({ status: 'succeeded', winner: 'att_3' });
    expect(result.selection?.reason).toContain('it passes the checks');
  });

  it('merges nothing when no attempt passes, and keeps them all on their branches', async () => {
    const { fake, outcome } = runBestOfN({ n: 2 }, { judge: () => ({ passed: false }) });
    const result = await outcome;
    expect(fake.keys('merge')).toEqual([]);
    expect(result.status).toBe('failed');
    expect(result.summary).toContain('nothing was merged');
  });

  it('fails without merging when no attempt produced a change', async () => {
    const { fake, outcome } = runBestOfN({ n: 2 }, { attempt: () => ({ status: 'failed', reason: 'no_changes' }) });
    const result = await outcome;
    expect(fake.keys('merge')).toEqual([]);
    expect(result).toMatchObject({ status: 'failed', summary: 'No attempt produced a change to choose from.', selection: { winner: null } });
  });

  it('lets every attempt finish before raising one that failed', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let slowFinished = false;
    const { outcome } = runBestOfN(
      { n: 2 },
      {
        attempt: async (key) => {
          if (key === 'attempt/0') throw new Error('worktree could not be made');
          await slow;
          slowFinished = true;
          return {};
        },
      },
    );
    const settled = outcome.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setImmediate(resolve));
    let early: string | undefined;
    void settled.then((v) => (early = v));
    await new Promise((resolve) => setImmediate(resolve));
    expect(early).toBeUndefined();
    release();
    expect(await settled).toBe('worktree could not be made');
    expect(slowFinished).toBe(true);
  });

  it('refuses n outside 1-100', () => {
    expect(() => bestOfN.params.parse({ n: 0 })).toThrow();
    expect(() => bestOfN.params.parse({ n: 101 })).toThrow();
    expect(bestOfN.params.parse({})).toMatchObject({ n: 3 });
  });
});
