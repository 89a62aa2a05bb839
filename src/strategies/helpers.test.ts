// The pieces the built-in strategies share: how a winner ends a run, waiting on parallel work, agent dealing.
import { describe, expect, it } from 'vitest';
import { fakeAttempt, fakeCheck, fakeStrategyContext, fakeVerdict } from '../testkit/index.ts';
import { mergeWinner, verdictOf } from './outcome.ts';
import { agentFor, agentsParam } from './params.ts';
import { builtinStrategyNames, findBuiltinStrategy } from './registry.ts';
import { settleAll } from './settle.ts';

describe('mergeWinner', () => {
  it('counts a result left on its branch (target moved on) as a success', async () => {
    const fake = fakeStrategyContext({ script: { merge: () => ({ status: 'left_on_branch', message: 'main moved; run git merge orch/run_fake/1' }) } });
    const winner = fakeAttempt();
    const outcome = await mergeWinner(fake.ctx, winner, fakeVerdict(winner));
    expect(outcome).toMatchObject({ status: 'succeeded', summary: 'main moved; run git merge orch/run_fake/1', winner: 'att_1' });
  });

  it('puts the selection reason before the merge message', async () => {
    const fake = fakeStrategyContext();
    const winner = fakeAttempt();
    const outcome = await mergeWinner(fake.ctx, winner, fakeVerdict(winner), { winner: 'att_1', ranking: ['att_1'], reason: 'att_1 won.', order: [] });
    expect(outcome.summary).toBe('att_1 won. Merged att_1 into main.');
  });

  it('does not merge a winner without a verdict, and says no check ran', async () => {
    const fake = fakeStrategyContext();
    const outcome = await mergeWinner(fake.ctx, fakeAttempt(), undefined);
    expect(fake.keys()).toEqual([]);
    expect(outcome.summary).toContain('failed its checks (none ran)');
  });

  it("says how a winner that did not succeed ended", async () => {
    const fake = fakeStrategyContext();
    const winner = fakeAttempt({ status: 'failed', reason: 'timed_out' });
    const outcome = await mergeWinner(fake.ctx, winner, fakeVerdict(winner, { passed: false, checks: [fakeCheck('test', false)] }));
    expect(outcome.summary).toContain('The best attempt att_1 ended failed (timed_out)');
  });

  it('finds the verdict of an attempt by its id', () => {
    const [a, b] = [fakeAttempt({ n: 1 }), fakeAttempt({ n: 2 })];
    const verdicts = [fakeVerdict(b, { passed: false }), fakeVerdict(a)];
    expect(verdictOf(verdicts, a)?.passed).toBe(true);
    expect(verdictOf(verdicts, fakeAttempt({ n: 3 }))).toBeUndefined();
  });
});

describe('settleAll', () => {
  it('returns the values in order', async () => {
    expect(await settleAll([Promise.resolve(1), Promise.resolve(2)])).toEqual([1, 2]);
  });

  it('raises the first failure only after every other piece of work settled', async () => {
    let finished = false;
    const slow = new Promise<void>((resolve) => setImmediate(resolve)).then(() => (finished = true));
    await expect(settleAll([Promise.reject(new Error('first')), slow, Promise.reject(new Error('second'))])).rejects.toThrow('first');
    expect(finished).toBe(true);
  });
});

describe('agent choices', () => {
  it('parses agent[:model] lists from a string or a list', () => {
    expect(agentsParam.parse('claude:opus, codex')).toEqual([{ agent: 'claude', model: 'opus' }, { agent: 'codex' }]);
    expect(agentsParam.parse(['claude:opus', { agent: 'gemini', model: 'pro' }])).toEqual([{ agent: 'claude', model: 'opus' }, { agent: 'gemini', model: 'pro' }]);
    expect(agentsParam.parse(undefined)).toBeUndefined();
  });

  it('deals them out round-robin, and none from an empty list', () => {
    const choices = [{ agent: 'a' }, { agent: 'b' }];
    expect([0, 1, 2, 3].map((i) => agentFor(choices, i)?.agent)).toEqual(['a', 'b', 'a', 'b']);
    expect(agentFor([], 0)).toBeUndefined();
  });
});

describe('the built-in strategies', () => {
  it('are found by name', () => {
    expect(builtinStrategyNames()).toEqual(['single', 'best-of-n', 'iterative', 'tournament', 'plan', 'cycle']);
    expect(findBuiltinStrategy('tournament')?.name).toBe('tournament');
    expect(findBuiltinStrategy('nope')).toBeUndefined();
  });
});
