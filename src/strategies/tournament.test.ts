import { describe, expect, it } from 'vitest';
import { fakeStrategyContext, type StrategyScript } from '../testkit/index.ts';
import { tournament } from './tournament.ts';

function runTournament(n: number, script: StrategyScript = {}) {
  const fake = fakeStrategyContext({ script, settings: { review: true } });
  return { fake, outcome: tournament.execute(fake.ctx, fake.ctx.goal, tournament.params.parse({ n })) };
}

/** The comparator prefers the higher attempt number. */
const higherWins: StrategyScript = { compare: (_key, a, b) => (a.n > b.n ? a.id : b.id) };

describe('the tournament strategy', () => {
  it('judges by the checks only, then plays a bracket of pairs and merges the champion', async () => {
    const { fake, outcome } = runTournament(4, higherWins);
    const result = await outcome;
    expect(fake.keys('judge')).toEqual(['judge/attempt/0', 'judge/attempt/1', 'judge/attempt/2', 'judge/attempt/3']);
    expect(fake.steps.filter((s) => s.method === 'judge').map((s) => s.input)).toEqual(
      ['att_1', 'att_2', 'att_3', 'att_4'].map((attemptId) => ({ attemptId })),
    );
    expect(fake.keys('compare')).toEqual(['compare/0/att_1/att_2', 'compare/0/att_3/att_4', 'compare/1/att_2/att_4']);
    expect(result).toMatchObject({ status: 'succeeded', winner: 'att_4', selection: { winner: 'att_4', reason: 'att_4 won the bracket of 4.' } });
    expect(fake.steps.at(-1)).toMatchObject({ method: 'merge', input: { attemptId: 'att_4' } });
  });

  it('gives the odd one out a bye into the next round', async () => {
    const { fake, outcome } = runTournament(3, higherWins);
    const result = await outcome;
    // att_3 sits out round 0 and meets the winner of att_1 against att_2.
    expect(fake.keys('compare')).toEqual(['compare/0/att_1/att_2', 'compare/1/att_2/att_3']);
    expect(result.winner).toBe('att_3');
  });

  it('lets only the attempts that pass the checks enter', async () => {
    const { fake, outcome } = runTournament(4, { ...higherWins, judge: (_key, attempt) => ({ passed: attempt.n <= 2 }) });
    const result = await outcome;
    expect(fake.keys('compare')).toEqual(['compare/0/att_1/att_2']);
    expect(result).toMatchObject({ status: 'succeeded', winner: 'att_2' });
  });

  it('needs no comparison when one attempt passes', async () => {
    const { fake, outcome } = runTournament(3, { judge: (_key, attempt) => ({ passed: attempt.n === 2 }) });
    const result = await outcome;
    expect(fake.keys('compare')).toEqual([]);
    expect(result).toMatchObject({ status: 'succeeded', winner: 'att_2' });
  });

  it('lets every attempt with a change enter when none passes, and then merges nothing', async () => {
    const { fake, outcome } = runTournament(2, { ...higherWins, judge: () => ({ passed: false }), attempt: (_key, _request, n) => (n === 1 ? {} : { status: 'failed' }) });
    const result = await outcome;
    expect(fake.keys('compare')).toEqual([]);
    expect(fake.keys('merge')).toEqual([]);
    expect(result).toMatchObject({ status: 'failed', winner: 'att_1' });
  });

  it('fails with no champion when no attempt changed anything', async () => {
    const { fake, outcome } = runTournament(2, { attempt: () => ({ status: 'failed', reason: 'no_changes' }) });
    const result = await outcome;
    expect(fake.keys('merge')).toEqual([]);
    expect(result).toMatchObject({ status: 'failed', summary: 'No attempt produced a change.' });
  });

  it('on a resume, replays the attempts and finished comparisons and asks only the final again', async () => {
    let down = true;
    const script: StrategyScript = {
      compare: (key, a, b) => {
        if (key.startsWith('compare/1/') && down) throw new Error('the machine went down');
        return a.n > b.n ? a.id : b.id;
      },
    };
    const first = fakeStrategyContext({ script });
    await expect(tournament.execute(first.ctx, first.ctx.goal, tournament.params.parse({ n: 4 }))).rejects.toThrow('the machine went down');
    down = false;
    const resumed = fakeStrategyContext({ script, replayFrom: first });
    const result = await tournament.execute(resumed.ctx, resumed.ctx.goal, tournament.params.parse({ n: 4 }));
    expect(resumed.keys()).toEqual(first.keys().concat('merge'));
    expect(resumed.steps.filter((s) => !s.replayed).map((s) => s.key)).toEqual(['compare/1/att_2/att_4', 'merge']);
    expect(result.winner).toBe('att_4');
  });

  it('refuses fewer than two attempts', () => {
    expect(() => tournament.params.parse({ n: 1 })).toThrow();
  });
});
