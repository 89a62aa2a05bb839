import { describe, expect, it } from 'vitest';
import type { AttemptRequest } from '../domain/strategy.ts';
import { fakeAttempt, fakeCheck, fakeStrategyContext, fakeVerdict, type StrategyScript } from '../testkit/index.ts';
import { feedbackFrom, iterative } from './iterative.ts';

function runIterative(rounds: number, script: StrategyScript = {}) {
  const fake = fakeStrategyContext({ script });
  return { fake, outcome: iterative.execute(fake.ctx, fake.ctx.goal, iterative.params.parse({ rounds })) };
}

/** The checks fail until round `passesAt` (0-based). */
const passingFrom = (passesAt: number): StrategyScript => ({
  judge: (key) => (Number(key.split('/').at(-1)) >= passesAt ? {} : { passed: false, checks: [fakeCheck('unit', false, { outputTail: `expected 2, got ${key}` })] }),
});

describe('the iterative strategy', () => {
  it('stops at the first round that passes and merges it', async () => {
    const { fake, outcome } = runIterative(5, passingFrom(1));
    const result = await outcome;
    expect(fake.keys()).toEqual(['round/0', 'judge/round/0', 'round/1', 'judge/round/1', 'merge']);
    expect(result).toMatchObject({ status: 'succeeded', winner: 'att_2' });
    expect(fake.notes.map((n) => n.message)).toEqual(['round 2: feeding the failures back']);
  });

  it("feeds the failed check's output back, continuing from the previous attempt", async () => {
    const { fake, outcome } = runIterative(3, passingFrom(2));
    await outcome;
    const requests = fake.steps.filter((s) => s.method === 'attempt').map((s) => s.input as AttemptRequest);
    expect(requests[0]).toEqual({});
    expect(requests[1]?.continueFrom?.id).toBe('att_1');
    expect(requests[1]?.feedback).toContain('The unit check failed (`npm run unit`, exit 1)');
    expect(requests[1]?.feedback).toContain('expected 2, got judge/round/0');
    expect(requests[2]?.continueFrom?.id).toBe('att_2');
    expect(requests[2]?.feedback).toContain('expected 2, got judge/round/1');
  });

  it('gives up after the last round, merging nothing, and names the last attempt', async () => {
    const { fake, outcome } = runIterative(3, passingFrom(99));
    const result = await outcome;
    expect(fake.keys('attempt')).toEqual(['round/0', 'round/1', 'round/2']);
    expect(fake.keys('merge')).toEqual([]);
    expect(result).toMatchObject({ status: 'failed', winner: 'att_3' });
    expect(result.summary).toContain('No round passed in 3 rounds; the last attempt att_3 stays on orch/run_fake/3');
  });

  it('does not go on from an attempt that left no commit', async () => {
    const { fake, outcome } = runIterative(3, { attempt: () => ({ status: 'failed', reason: 'agent_error' }), judge: () => ({ passed: false }) });
    const result = await outcome;
    expect(fake.keys()).toEqual(['round/0', 'judge/round/0']);
    expect(result.status).toBe('failed');
  });

  it('treats a failed review as not passing, even when the checks pass', async () => {
    const review = (pass: boolean) => ({ score: pass ? 8 : 3, pass, reasoning: pass ? 'fine' : 'it deletes the test', risks: pass ? [] : ['coverage drops'] });
    const { fake, outcome } = runIterative(3, { judge: (key) => ({ review: review(key.endsWith('/1')) }) });
    await outcome;
    expect(fake.keys('attempt')).toEqual(['round/0', 'round/1']);
    expect((fake.steps[2]?.input as AttemptRequest).feedback).toContain('A reviewer scored the change 3/10 and did not pass it:\n\nit deletes the test\n\nRisks:\n- coverage drops');
  });
});

describe('feedbackFrom', () => {
  it('keeps only the end of a long check output', () => {
    const attempt = fakeAttempt();
    const long = `${'x'.repeat(5000)}THE END`;
    const text = feedbackFrom(fakeVerdict(attempt, { passed: false, checks: [fakeCheck('unit', false, { outputTail: long })] }));
    expect(text).toContain('THE END');
    expect(text.length).toBeLessThan(3200);
  });

  it('says something useful when nothing specific failed', () => {
    expect(feedbackFrom(fakeVerdict(fakeAttempt(), { passed: false, checks: [] }))).toBe('The change did not pass; look again at the goal.');
  });

  it('says a check timed out', () => {
    const text = feedbackFrom(fakeVerdict(fakeAttempt(), { passed: false, checks: [fakeCheck('e2e', false, { exitCode: null, timedOut: true })] }));
    expect(text).toContain('exit timed out');
  });
});
