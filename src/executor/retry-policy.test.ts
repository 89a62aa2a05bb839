// The retry schedule a user sees in `attempt.retry` events: transient failures back off 10 s, 60 s, 360 s (with
// jitter), a stuck agent gets its bounded second try, a rate limit rotates at once, and the rest never retry.
import { describe, expect, it } from 'vitest';
import { attemptReasons, type AttemptReason } from '../domain/outcome.ts';
import { nextStep, withJitter, type RetryCounts } from './retry-policy.ts';
import { configSchema } from '../domain/config.ts';
import type { RetryLimits } from './contract.ts';

/** The retry settings of a run started with no configuration, as run-request.ts derives them. */
const configured = configSchema.parse({}).retries;
const retries: RetryLimits = {
  delaysMs: configured.delaysSeconds.map((s) => s * 1000),
  cooldownMs: configured.cooldownSeconds * 1000,
  maxRateLimitWaitMs: configured.maxRateLimitWaitSeconds * 1000,
  stuck: configured.stuck,
};
const noJitter = () => 0.5;
const counts = (transient = 0, stuck = 0): RetryCounts => ({ transient, stuck });

describe('the retry policy', () => {
  it('backs transient failures off 10 s, 60 s, 360 s by default, then gives up', () => {
    const schedule: (number | 'finish')[] = [];
    for (let tried = 0; tried < 5; tried++) {
      const step = nextStep('transient', counts(tried), retries, noJitter);
      schedule.push(step.kind === 'retry' ? step.delayMs : 'finish');
    }
    expect(schedule).toEqual([10_000, 60_000, 360_000, 'finish', 'finish']);
  });

  it('follows a configured schedule', () => {
    const custom = { ...retries, delaysMs: [5, 7] };
    expect(nextStep('transient', counts(1), custom, noJitter)).toEqual({ kind: 'retry', delayMs: 7, why: 'transient' });
    expect(nextStep('transient', counts(2), custom, noJitter)).toEqual({ kind: 'finish' });
  });

  it('tries a stuck agent again at once, as many times as configured', () => {
    expect(nextStep('stuck', counts(0, 0), retries)).toEqual({ kind: 'retry', delayMs: 0, why: 'stuck' });
    expect(nextStep('stuck', counts(0, 1), retries)).toEqual({ kind: 'finish' });
    expect(nextStep('stuck', counts(0, 2), { ...retries, stuck: 3 })).toMatchObject({ kind: 'retry' });
  });

  it('retries a rate limit at once, however often (the credential pool decides the wait)', () => {
    expect(nextStep('rate_limited', counts(9, 9), retries)).toEqual({ kind: 'retry', delayMs: 0, why: 'rate_limited' });
  });

  it('never retries anything else: auth, budget, a finished or stopped attempt', () => {
    const retried = attemptReasons.filter((reason: AttemptReason) => nextStep(reason, counts(), retries).kind === 'retry');
    expect(retried.sort()).toEqual(['rate_limited', 'stuck', 'transient']);
  });

  it('spreads a delay up to a quarter either way, so parallel attempts do not retry in lockstep', () => {
    expect(withJitter(1000, () => 0)).toBe(750);
    expect(withJitter(1000, () => 0.999999)).toBe(1250);
    expect(withJitter(1000, () => 0.5)).toBe(1000);
    const spread = new Set(Array.from({ length: 50 }, () => withJitter(10_000)));
    expect(spread.size).toBeGreaterThan(1);
    for (const delay of spread) {
      expect(delay).toBeGreaterThanOrEqual(7500);
      expect(delay).toBeLessThanOrEqual(12_500);
    }
  });

  it('never gives a negative delay', () => {
    expect(withJitter(0, () => 0)).toBe(0);
  });
});
