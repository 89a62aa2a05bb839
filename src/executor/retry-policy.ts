// What to do after an agent invocation ended: done, retry (after how long, with which credential), or fail.
// Transient failures wait 10 s, 60 s, 360 s (configurable) with jitter; a rate limit rotates to the next
// credential at once; a stuck agent is tried again a bounded number of times; auth and budget never retry.
import type { AttemptReason } from '../domain/outcome.ts';
import type { RetryLimits } from './contract.ts';

export type NextStep = { kind: 'finish' } | { kind: 'retry'; delayMs: number; why: AttemptReason };

export interface RetryCounts {
  transient: number;
  stuck: number;
}

/** Up to a quarter of the delay either way, so parallel attempts do not retry in lockstep. */
export function withJitter(delayMs: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(delayMs * (0.75 + random() * 0.5)));
}

export function nextStep(reason: AttemptReason, counts: RetryCounts, retries: RetryLimits, random?: () => number): NextStep {
  switch (reason) {
    case 'transient': {
      const delay = retries.delaysMs[counts.transient];
      return delay === undefined ? { kind: 'finish' } : { kind: 'retry', delayMs: withJitter(delay, random), why: reason };
    }
    case 'stuck':
      return counts.stuck < retries.stuck ? { kind: 'retry', delayMs: 0, why: reason } : { kind: 'finish' };
    case 'rate_limited':
      return { kind: 'retry', delayMs: 0, why: reason }; // the credential pool decides when and with which key
    default:
      return { kind: 'finish' };
  }
}
