import { describe, expect, it } from 'vitest';
import { RunBudget } from './budget.ts';

describe('RunBudget', () => {
  it('counts a resumed attempt once: its earlier cost is in what the run had spent', () => {
    // The run spent $0.40 before the resume, $0.30 of it by the attempt that is now resumed.
    const budget = new RunBudget({ runUsd: 1 }, 0.4);
    budget.track('att_1', () => {}, 0.3);
    budget.report('att_1', 0.6); // the attempt's total now: $0.30 more
    expect(budget.spent()).toBeCloseTo(0.7);
    expect(budget.exhausted()).toBe(false);
  });

  it('counts reviews and plans, and stops the running attempts when the run passes its limit', () => {
    const budget = new RunBudget({ runUsd: 1 }, 0);
    let stopped = 0;
    budget.track('att_1', () => stopped++);
    budget.report('att_1', 0.5);
    budget.addCall(0.6);
    expect(budget.exhausted()).toBe(true);
    expect(stopped).toBe(1);
  });

  it('says when one attempt passes its own limit', () => {
    const budget = new RunBudget({ attemptUsd: 0.1 }, 0);
    budget.track('att_1', () => {});
    expect(budget.report('att_1', 0.05)).toBe(false);
    expect(budget.report('att_1', 0.2)).toBe(true);
  });
});
