import { describe, expect, it } from 'vitest';
import { RunBudget } from './budget.ts';

const never = new AbortController().signal;

describe('RunBudget', () => {
  it('counts a resumed attempt once: its earlier cost is in what the run had spent', () => {
    // The run spent $0.40 before the resume, $0.30 of it by the attempt that is now resumed.
    const budget = new RunBudget({ runUsd: 1 }, 0.4);
    budget.track('att_1', () => {}, 0.3);
    budget.report('att_1', 0.6); // the attempt's total now: $0.30 more
    expect(budget.spent()).toBeCloseTo(0.7);
    expect(budget.exhausted()).toBe(false);
    budget.untrack('att_1');
    expect(budget.spent()).toBeCloseTo(0.7);
  });

  it('counts reviews and plans, and stops every running attempt when the run reaches its limit, the spender too', () => {
    const budget = new RunBudget({ runUsd: 1 }, 0);
    const stopped: string[] = [];
    budget.track('att_1', () => stopped.push('att_1'));
    budget.track('att_2', () => stopped.push('att_2'));
    budget.report('att_1', 0.5);
    expect(stopped).toEqual([]);
    budget.addCall(0.6);
    expect(budget.exhausted()).toBe(true);
    expect(stopped).toEqual(['att_1', 'att_2']);
    stopped.length = 0;
    budget.report('att_2', 0.1);
    expect(stopped).toEqual(['att_1', 'att_2']);
  });

  it('says when one attempt passes its own limit', () => {
    const budget = new RunBudget({ attemptUsd: 0.1 }, 0);
    budget.track('att_1', () => {});
    expect(budget.report('att_1', 0.05)).toBe(false);
    expect(budget.report('att_1', 0.2)).toBe(true);
  });

  it('starts one attempt at a time until a turn is priced, then as many as leave room for a turn each', async () => {
    const budget = new RunBudget({ runUsd: 1 }, 0);
    expect(await budget.admit('att_1', 0, never)).toBe(true);
    budget.track('att_1', () => {});
    let second: boolean | undefined;
    void budget.admit('att_2', 0, never).then((started) => (second = started));
    let third: boolean | undefined;
    void budget.admit('att_3', 0, never).then((started) => (third = started));
    await Promise.resolve();
    expect([second, third]).toEqual([undefined, undefined]); // nothing known of what a turn costs
    budget.report('att_1', 0.3, 1); // one turn: $0.30
    await new Promise((resolve) => setImmediate(resolve));
    // $0.30 spent + $0.30 att_1's next turn + $0.30 for att_2's first = $0.90: room for one more only.
    expect([second, third]).toEqual([true, undefined]);
    const stops: string[] = [];
    budget.track('att_2', (why) => stops.push(why));
    budget.report('att_1', 0.6, 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBeUndefined();
    // $0.60 spent: no room for a turn of each ($0.60 + 2 × $0.30): the attempt started last gives way.
    expect(stops).toEqual(['shed']);
    budget.report('att_2', 0.45, 1);
    await new Promise((resolve) => setImmediate(resolve));
    // $1.05 spent: the budget is used up, the waiting attempt does not start.
    expect(third).toBe(false);
  });

  it('reserves what a per-attempt limit allows: n attempts at $0.40 each in a $1 run start two at once', async () => {
    const budget = new RunBudget({ runUsd: 1, attemptUsd: 0.4 }, 0);
    expect(await budget.admit('att_1', 0, never)).toBe(true);
    expect(await budget.admit('att_2', 0, never)).toBe(true);
    let third: boolean | undefined;
    void budget.admit('att_3', 0, never).then((started) => (third = started));
    await Promise.resolve();
    expect(third).toBeUndefined();
    budget.report('att_1', 0.1, 1);
    budget.untrack('att_1'); // ended having spent $0.10: $0.10 + $0.40 held + $0.40 fits
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(true);
  });

  it('starts an attempt at once when none runs, and never when the budget is spent', async () => {
    const budget = new RunBudget({ runUsd: 1, attemptUsd: 5 }, 0.2);
    expect(await budget.admit('att_1', 0, never)).toBe(true);
    budget.report('att_1', 1);
    expect(await budget.admit('att_2', 0, never)).toBe(false);
  });

  it("counts what the run's child runs spend, from the store, and stops its attempts when they spend the rest", () => {
    let children = 0.5; // spent before this process took the run over: in spentBefore already
    const budget = new RunBudget({ runUsd: 1 }, 0.5, () => children);
    const stopped: string[] = [];
    budget.track('att_1', (why) => stopped.push(why));
    budget.report('att_1', 0.1, 1);
    expect(budget.spent()).toBeCloseTo(0.6);
    children = 0.95; // a delegate call's child run spent $0.45 more
    budget.report('att_1', 0.1, 1);
    expect(budget.exhausted()).toBe(true);
    expect(stopped).toContain('spent');
  });
});
